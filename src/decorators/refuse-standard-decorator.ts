import { InvalidComponentError } from '../core/errors';

/**
 * Throws when a Minions decorator is called the way TypeScript 5's standard (TC39) decorators
 * are, `(value, context)` with a `context` object holding `kind`: the project was compiled
 * without `experimentalDecorators`. The legacy call this package expects passes a class, or a
 * prototype, a property key and a descriptor, so its second argument is never such an object.
 * Without this check the decorator would fail later on an undefined descriptor, or worse,
 * seem to work and leave the constructor's parameter types unrecorded.
 * @param decorator how the user wrote it, e.g. `@step`.
 * @param second the decorator's second argument.
 * @throws InvalidComponentError naming the decorator, the class or method, and both compiler options.
 */
export function refuseStandardDecorator(decorator: string, second: unknown): void {
  if (typeof second !== 'object' || second === null || typeof (second as { kind?: unknown }).kind !== 'string') return;
  const { kind, name } = second as { kind: string; name?: unknown };
  const target = typeof name === 'string' || typeof name === 'symbol' ? ` on ${kind} ${String(name)}` : '';
  throw new InvalidComponentError(`${decorator}${target} was called as a standard (TC39) decorator: this code was compiled without ` +
    '"experimentalDecorators". Minions\' decorators are TypeScript\'s experimental decorators and read the constructor types it emits: ' +
    'set "experimentalDecorators": true and "emitDecoratorMetadata": true in the compilerOptions of tsconfig.json ' +
    '(or your build tool\'s equivalent) and build again.');
}
