/**
 * The body of a host (worker thread or child process) of one isolated resource: loads the class
 * from its module file, constructs it, runs `startup()`, serves calls, runs `shutdown()` and
 * exits. The entries `worker-host.ts` and `child-host.ts` only supply the channel.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pathToFileURL } from 'node:url';
import { componentRuntime } from '../core/components/component-base';
import { InternalError, InvalidComponentError } from '../core/errors';
import { fromWireError, toWireError, type WireError } from './error-transport';
import type { FromHost, ToHost, WireArgument } from './protocol';

/** How a host talks to its parent. */
export interface HostChannel {
  send(message: FromHost): void;
  onMessage(handler: (message: ToHost) => void): void;
  /** Ends the host after the last message was sent. */
  exit(code: number): void;
}

/** A real `import()`: compiled to CommonJS, a literal `import()` would become `require()`. */
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

type Instance = Record<string, unknown> & { startup?: () => unknown; run?: (s: AbortSignal) => unknown; shutdown?: () => unknown };

/** Serves one isolated resource over `channel` until told to shut down. */
export function serveHost(channel: HostChannel, reportRss: boolean): void {
  const orchestration = new AsyncLocalStorage<string>();
  const depCalls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextDepCall = 0;
  let instance: Instance | undefined;
  let stopping = false;

  const dependency = (arg: Extract<WireArgument, { kind: 'resource' }>): object => {
    const stub: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const method of arg.methods) {
      stub[method] = (...args: unknown[]) => new Promise((resolve, reject) => {
        const id = ++nextDepCall;
        depCalls.set(id, { resolve, reject });
        channel.send({ type: 'dep-call', id, index: arg.index, method, args, orchestrationId: orchestration.getStore() ?? '' });
      });
    }
    return stub;
  };

  const init = async (m: Extract<ToHost, { type: 'init' }>): Promise<void> => {
    try {
      const cls = await loadClass(m.moduleFile, m.className);
      const args = m.args.map((a) => (a.kind === 'value' ? a.value : dependency(a)));
      instance = new (cls as new (...a: unknown[]) => Instance)(...args);
      if (typeof instance.startup === 'function') await instance.startup();
    } catch (e) {
      channel.send({ type: 'init-failed', error: toWireError(e) });
      channel.exit(1);
      return;
    }
    if (reportRss && m.rssIntervalMs) {
      const report = () => channel.send({ type: 'rss', bytes: process.memoryUsage.rss() });
      report();
      setInterval(report, m.rssIntervalMs).unref();
    }
    channel.send({ type: 'ready' });
    if (typeof instance.run === 'function') {
      const signal = componentRuntime(instance).controller.signal;
      Promise.resolve().then(() => instance!.run!(signal)).then(
        () => { if (!stopping) channel.send({ type: 'run-ended' }); },
        (e) => { if (!stopping) channel.send({ type: 'run-ended', error: toWireError(e) }); });
    }
  };

  const call = async (m: Extract<ToHost, { type: 'call' }>): Promise<void> => {
    let reply: FromHost;
    try {
      const fn = instance?.[m.method];
      if (typeof fn !== 'function') throw new InternalError(`${m.method} is not a method of the isolated resource ${instance?.constructor?.name}`);
      const value = await orchestration.run(m.orchestrationId, () => (fn as (...a: unknown[]) => unknown).apply(instance, m.args));
      reply = { type: 'result', id: m.id, ok: true, value };
    } catch (e) {
      reply = { type: 'result', id: m.id, ok: false, error: toWireError(e) };
    }
    try {
      channel.send(reply);
    } catch (e) { // a result that cannot be cloned (a function, a socket, ...)
      channel.send({ type: 'result', id: m.id, ok: false, error: toWireError(e) });
    }
  };

  const shutdown = async (): Promise<void> => {
    stopping = true;
    let error: WireError | undefined;
    try {
      if (instance) {
        const rt = componentRuntime(instance);
        rt.controller.abort();
        await Promise.allSettled([...rt.tasks]);
        if (typeof instance.shutdown === 'function') await instance.shutdown();
      }
    } catch (e) {
      error = toWireError(e);
    }
    channel.send({ type: 'stopped', error });
    channel.exit(0);
  };

  channel.onMessage((m) => {
    switch (m.type) {
      case 'init': void init(m); break;
      case 'call': void call(m); break;
      case 'dep-result': {
        const waiter = depCalls.get(m.id);
        depCalls.delete(m.id);
        if (m.ok) waiter?.resolve(m.value); else waiter?.reject(fromWireError(m.error));
        break;
      }
      case 'shutdown': void shutdown(); break;
    }
  });
}

/**
 * The class `className` exported by `moduleFile` (CommonJS `require`, or `import()` for an ES module).
 * @throws Error naming the file and the class when the module does not export it.
 */
async function loadClass(moduleFile: string, className: string): Promise<Function> {
  let exports: Record<string, unknown>;
  try {
    exports = require(moduleFile) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw e;
    exports = (await importModule(pathToFileURL(moduleFile).href)) as Record<string, unknown>;
  }
  const found = exports[className] ?? (exports.default as Function | undefined);
  if (typeof found !== 'function' || found.name !== className) {
    throw new InvalidComponentError(`${moduleFile} does not export the class ${className}: an isolated resource must be exported ` +
      `(export class ${className} ...) so that its host can load it by name.`);
  }
  return found;
}
