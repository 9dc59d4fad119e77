import * as fs from 'node:fs';
import * as path from 'node:path';
import * as minions from 'minions';
import {
  AbortWorkflow, ConfigError, ERROR_CODES, InvalidComponentError, IsolatedResourceCrashedError, MinionsError,
  OrchestrationStartError, ResourceCycleError, SerializationError, ShutdownTimeoutError, StartupTimeoutError,
  StateStoreLockedError,
} from 'minions';
import * as testing from 'minions/testing';
import { CliError } from '../../../src/cli/cli-error';

type ErrorsModule = typeof import('../../../src/core/errors');

/** A second copy of the errors module, as a second installed copy of the package would hold. */
function otherCopy(): ErrorsModule {
  let copy: ErrorsModule | undefined;
  jest.isolateModules(() => { copy = require('../../../src/core/errors') as ErrorsModule; });
  return copy!;
}

/** Every class of the public faces that owns a code: `static code`. */
function codedClasses(): { name: string; code: string }[] {
  const all = { ...minions, ...testing, CliError } as Record<string, unknown>;
  return Object.entries(all)
    .filter(([, v]) => typeof v === 'function' && Object.prototype.hasOwnProperty.call(v, 'code'))
    .map(([name, v]) => ({ name, code: (v as { code: string }).code }));
}

describe('errors', () => {
  it('every error has a stable code, a retryable flag and its own name', () => {
    const e = new ConfigError('bad', { file: 'a.yaml', key: 'x.y', expected: 'a number' });
    expect(e).toBeInstanceOf(MinionsError);
    expect(e).toMatchObject({ name: 'ConfigError', code: 'MINIONS_CONFIG', retryable: false, file: 'a.yaml', key: 'x.y', expected: 'a number' });
    expect(new ResourceCycleError(['A', 'B', 'A']).message).toContain('A -> B -> A');
    const start = new OrchestrationStartError('failed', new Error('cause'), [new Error('cleanup')]);
    expect((start.cause as Error).message).toBe('cause');
    expect(start.cleanupErrors).toHaveLength(1);
  });

  it('AbortWorkflow is control flow: a reason, no stack frames, and Error.stackTraceLimit is left as it was', () => {
    const limit = Error.stackTraceLimit;
    const e = new AbortWorkflow('below threshold');
    expect(e).toBeInstanceOf(MinionsError);
    expect(e).toMatchObject({ name: 'AbortWorkflow', message: 'below threshold', code: 'MINIONS_ABORT_WORKFLOW' });
    expect(e.stack).not.toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('x').stack).toMatch(/\n\s+at /);
  });

  it('the lifecycle timeouts keep their constructor signatures and codes', () => {
    const up = new StartupTimeoutError('Db', 'resource', 50);
    expect(up).toMatchObject({ code: 'MINIONS_STARTUP_TIMEOUT', component: 'Db', kind: 'resource', stage: 'startup', timeoutMs: 50, retryable: true });
    const down = new ShutdownTimeoutError('Feed', 'pipeline', 20, 'run');
    expect(down).toMatchObject({ code: 'MINIONS_SHUTDOWN_TIMEOUT', component: 'Feed', stage: 'run', timeoutMs: 20, retryable: false });
    expect(down.message).toMatch(/pipeline Feed: run\(\) did not finish within 20 ms/);
  });

  it('StateStoreLockedError names the file and the holder; IsolatedResourceCrashedError is retryable', () => {
    const locked = new StateStoreLockedError({ file: 'minions.db', pid: 4242, host: 'box' });
    expect(locked).toMatchObject({ code: 'MINIONS_STATE_STORE_LOCKED', file: 'minions.db', holderPid: 4242, holderHost: 'box', retryable: false });
    expect(locked.message).toMatch(/minions\.db.*4242.*box/);
    const crashed = new IsolatedResourceCrashedError('Geocoder', { isolation: 'process', exitCode: 137 });
    expect(crashed).toMatchObject({ code: 'MINIONS_ISOLATED_RESOURCE_CRASHED', resource: 'Geocoder', isolation: 'process', retryable: true });
    expect(crashed.message).toMatch(/Geocoder.*exit code 137/);
  });
});

describe('one table of error codes', () => {
  it('is frozen and describes every code in a sentence', () => {
    expect(Object.isFrozen(ERROR_CODES)).toBe(true);
    for (const [code, description] of Object.entries(ERROR_CODES) as [string, string][]) {
      expect(code).toMatch(/^MINIONS_[A-Z_]+$/);
      expect(description.length).toBeGreaterThan(10);
    }
  });

  it('every code has exactly one error class, and every error class has a code of the table', () => {
    const classes = codedClasses();
    const codes = Object.keys(ERROR_CODES).sort();
    expect(classes.map((c) => c.code).sort()).toEqual(codes);
    for (const { name, code } of classes) expect(`${name}: ${code}`).toMatch(/^\w+(Error|Workflow): MINIONS_/);
  });

  it('the errors reference lists every code with its class', () => {
    const page = fs.readFileSync(path.join(__dirname, '../../../docs/reference/errors.md'), 'utf8');
    for (const { name, code } of codedClasses()) expect(page).toMatch(new RegExp(`\\| \`${code}\` \\| \`${name}\``));
  });

  it('every MINIONS_ code written in the source is in the table', () => {
    const root = path.join(__dirname, '../../../src');
    const seen = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) for (const m of fs.readFileSync(file, 'utf8').matchAll(/'(MINIONS_[A-Z_]+)'/g)) seen.add(m[1]);
      }
    };
    walk(root);
    // Environment variables the CLI reads share the prefix; they are not error codes.
    const environmentVariables = new Set(['MINIONS_ADMIN_TOKEN']);
    expect([...seen].filter((code) => !(code in ERROR_CODES) && !environmentVariables.has(code))).toEqual([]);
  });

  it('the runtime throws no plain Error, RangeError or TypeError', () => {
    const root = path.join(__dirname, '../../../src');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
            // `new Error().stack` only captures a stack (component-id.ts); nothing is thrown.
            // error-transport.ts rebuilds a user's own error that crossed from an isolated resource's host.
            if (file.endsWith(path.join('isolation', 'error-transport.ts'))) return;
            if (/new (Range|Type)?Error\((?!\)\.stack)/.test(line)) offenders.push(`${path.relative(root, file)}:${i + 1}`);
          });
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});

describe('MinionsError.is and instanceof across loaded copies of the package', () => {
  it('MinionsError.is(e) is true for any MinionsError and false for other values', () => {
    expect(MinionsError.is(new ConfigError('x'))).toBe(true);
    expect(MinionsError.is(new Error('plain'))).toBe(false);
    expect(MinionsError.is(undefined)).toBe(false);
    expect(MinionsError.is('MINIONS_CONFIG')).toBe(false);
  });

  it('a plain Error that merely has a MINIONS_ code is not a MinionsError', () => {
    const impostor = Object.assign(new Error('x'), { code: 'MINIONS_CONFIG' });
    expect(MinionsError.is(impostor)).toBe(false);
    expect(impostor instanceof MinionsError).toBe(false);
    expect(impostor instanceof ConfigError).toBe(false);
  });

  it('MinionsError.is(e, code) checks the code and narrows it', () => {
    const e: unknown = new AbortWorkflow('skip');
    expect(MinionsError.is(e, 'MINIONS_CONFIG')).toBe(false);
    if (!MinionsError.is(e, 'MINIONS_ABORT_WORKFLOW')) throw new Error('expected an AbortWorkflow');
    const code: 'MINIONS_ABORT_WORKFLOW' = e.code; // compiles only when narrowed
    expect(code).toBe('MINIONS_ABORT_WORKFLOW');
  });

  it('an error from another loaded copy is instanceof MinionsError and of its own class, and MinionsError.is knows it', () => {
    const other = otherCopy();
    expect(other.AbortWorkflow).not.toBe(AbortWorkflow);
    const abort = new other.AbortWorkflow('from the other copy');
    expect(abort instanceof AbortWorkflow).toBe(true);
    expect(abort instanceof MinionsError).toBe(true);
    expect(MinionsError.is(abort)).toBe(true);
    expect(MinionsError.is(abort, 'MINIONS_ABORT_WORKFLOW')).toBe(true);
    const serialization = new other.SerializationError('context.fn', 'a function');
    expect(serialization instanceof SerializationError).toBe(true);
    // and the other way round
    expect(new AbortWorkflow() instanceof other.AbortWorkflow).toBe(true);
    expect(new ConfigError('x') instanceof other.MinionsError).toBe(true);
  });

  it('instanceof a subclass checks the code: an error of one class is not an instance of another', () => {
    const other = otherCopy();
    expect(new other.AbortWorkflow() instanceof ConfigError).toBe(false);
    expect(new AbortWorkflow() instanceof SerializationError).toBe(false);
    expect(new InvalidComponentError('x') instanceof other.ConfigError).toBe(false);
  });

  it('a user subclass of a runtime error keeps ordinary instanceof and its parent class', () => {
    class BelowThreshold extends AbortWorkflow {}
    class MyError extends MinionsError { constructor() { super('MINIONS_ABORT_WORKFLOW', 'mine'); } }
    expect(new AbortWorkflow() instanceof BelowThreshold).toBe(false);
    expect(new BelowThreshold() instanceof BelowThreshold).toBe(true);
    expect(new BelowThreshold() instanceof AbortWorkflow).toBe(true);
    expect(MinionsError.is(new BelowThreshold(), 'MINIONS_ABORT_WORKFLOW')).toBe(true);
    expect(new MyError() instanceof MyError).toBe(true);
    expect(new AbortWorkflow() instanceof MyError).toBe(false);
  });
});
