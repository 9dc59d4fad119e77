/**
 * Persistable data classes: the event, context and config classes hold only data that the
 * checkpoint codec can store and bring back. `assertDataClass` refuses a class whose default
 * instance holds anything else (what counts as data: persistable-value.ts; rebuilding instances
 * from decoded data: rebuild.ts).
 */
import { InvalidComponentError } from '../errors';
import { formatPath } from './data-path';
import {
  classifyValue, describeValue, instanceWithMethods, MAX_CHECKPOINT_DEPTH, methodNames, PERSISTABLE_VALUES,
} from './persistable-value';

/** What a data class is used as; named in every message. */
export type DataRole = 'event' | 'context' | 'config';

/** A constructible class; data classes are constructed with no arguments. */
export type DataClass<T extends object = object> = new () => T;

interface Problem {
  segments: Array<string | number>;
  what: string;
  fix: string;
}

/**
 * Checks that `cls` is a persistable data class for `role`, as `startOrchestration`
 * does for the event, context and config classes before anything starts:
 *
 * 1. `new cls()` works with no arguments;
 * 2. every own enumerable field of that default instance holds persistable data: string,
 *    number (any), boolean, null, `undefined` (a field declared without initializer, `name!: string`,
 *    which marks a required config field), arrays (elements checked), plain objects with string
 *    keys (values checked), Date, or a nested data class instance (checked the same way; where it
 *    is a field of a data class, its class must also construct with no arguments, because
 *    `rebuild` rebuilds it with `new Inner()`);
 * 3. no symbol-keyed enumerable properties (they would be silently dropped) and no cycles.
 *
 * Only the default instance is inspected: a field whose default is `null` or `undefined` may
 * later hold anything persistable, and the checkpoint codec checks actual values at every save.
 *
 * @param cls the class to check.
 * @param role what the class is used as, named in messages.
 * @param owner who uses it, named first in messages (e.g. `'@minion Watcher'`).
 * @throws InvalidComponentError `"<owner>: <role> class X field a.b[2] holds a Function (not
 *   persistable). <fix>..."`, or `"... could not be constructed with no arguments ..."` (with the
 *   constructor's error as `cause`).
 */
export function assertDataClass(cls: unknown, role: DataRole, owner: string): asserts cls is DataClass {
  if (typeof cls !== 'function') {
    throw new InvalidComponentError(
      `${owner}: the ${role} class must be a class constructible with no arguments, got ${describeValue(cls)}.`,
    );
  }
  const name = cls.name || '<anonymous class>';
  const instance = construct(cls as DataClass, `${owner}: ${role} class ${name}`);
  const kind = classifyValue(instance);
  if (kind !== 'instance' && kind !== 'object') {
    const what = typeof kind === 'string' ? `${kind === 'array' ? 'an' : 'a'} ${kind}` : kind.what;
    throw new InvalidComponentError(
      `${owner}: ${role} class ${name} is not a data class: its instances are ${what}. ` +
        `Declare a plain class whose fields hold ${PERSISTABLE_VALUES}.`,
    );
  }
  const problem = checkFields(instance as Record<string, unknown>, [], [instance], `${owner}: ${role} class ${name}`, true, role === 'context');
  if (problem) {
    const where = problem.segments.length > 0 ? ` field ${formatPath('', problem.segments)}` : '';
    throw new InvalidComponentError(
      `${owner}: ${role} class ${name}${where} holds ${problem.what} (not persistable). ` +
        `${problem.fix}. Persistable: ${PERSISTABLE_VALUES}.`,
    );
  }
}

function construct(cls: DataClass, who: string): object {
  try {
    return new cls();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidComponentError(
      `${who} could not be constructed with no arguments (${reason}). ` +
        'Data classes are built by the runtime with `new X()`: give every constructor parameter a default, ' +
        'or declare the fields with initializers and no constructor.',
      { cause: error },
    );
  }
}

/** Checks the own fields of an object; `asFields`: its instance-valued fields are rebuilt, so their classes must construct. */
function checkFields(
  object: Record<string, unknown>,
  segments: Array<string | number>,
  ancestors: object[],
  who: string,
  asFields: boolean,
  methods: boolean,
): Problem | undefined {
  const symbols = Object.getOwnPropertySymbols(object).filter((s) => Object.prototype.propertyIsEnumerable.call(object, s));
  if (symbols.length > 0) {
    return {
      segments,
      what: `a symbol-keyed property ${String(symbols[0])}`,
      fix: 'Use string keys: symbol-keyed properties are not persisted',
    };
  }
  for (const key of Object.keys(object)) {
    const problem = checkValue(object[key], [...segments, key], ancestors, who, asFields, methods);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * `isField`: the value is a field of a data class that a resume rebuilds, so an instance there
 * gets its class back. `methods`: refuse instances with methods where that is not so (contexts,
 * whose values steps may replace at run time and the checkpoint checks the same way).
 */
function checkValue(
  value: unknown,
  segments: Array<string | number>,
  ancestors: object[],
  who: string,
  isField: boolean,
  methods: boolean,
): Problem | undefined {
  const kind = classifyValue(value);
  if (typeof kind !== 'string') return { segments, what: kind.what, fix: kind.fix };
  if (kind !== 'array' && kind !== 'object' && kind !== 'instance') return undefined;
  const object = value as object;
  if (ancestors.includes(object)) {
    return { segments, what: 'a circular reference to a containing object', fix: 'Store data as a tree, without cycles' };
  }
  if (segments.length > MAX_CHECKPOINT_DEPTH) {
    return { segments, what: `data nested deeper than ${MAX_CHECKPOINT_DEPTH} levels`, fix: 'Flatten the data' };
  }
  if (kind === 'instance' && methods && !isField) {
    const names = methodNames(Object.getPrototypeOf(object) as object);
    if (names.length > 0) return { segments, ...instanceWithMethods(object, names) };
  }
  ancestors.push(object);
  try {
    if (kind === 'array') {
      const array = object as unknown[];
      for (let i = 0; i < array.length; i++) {
        const problem = checkValue(array[i], [...segments, i], ancestors, who, false, methods);
        if (problem) return problem;
      }
      return undefined;
    }
    if (kind === 'instance' && isField) {
      const inner = (object as { constructor: DataClass }).constructor;
      construct(inner, `${who} field ${formatPath('', segments)}: nested data class ${inner.name || '<anonymous class>'}`);
    }
    // Inside plain objects, values come back as plain data: their classes are not rebuilt.
    return checkFields(object as Record<string, unknown>, segments, ancestors, who, kind === 'instance' && isField, methods);
  } finally {
    ancestors.pop();
  }
}
