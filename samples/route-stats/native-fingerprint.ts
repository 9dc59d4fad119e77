/**
 * The resource that "calls native code that may crash". It stands for a native extension that
 * can segfault: on the flight chosen with `--crash-at` its host really dies of SIGSEGV, once.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { Resource, inject, resource } from 'minions';
import { fnv1a } from './geo';

/** Token of the fingerprint's plain-data options in the container. */
export const FINGERPRINT_OPTIONS = 'route-stats.fingerprint-options';

/** Plain data (it crosses to the child process): when to crash, and where to remember it did. */
export interface FingerprintOptions {
  /** Index of the flight whose call segfaults the host; `null`: never. */
  crashAt: number | null;
  /**
   * File written just before the crash. A new host finds it and does not crash again: the
   * fault is transient, like a native bug that needs a rare state to trigger.
   */
  crashMarker: string;
}

/** Rounds of FNV-1a over the route's text: a little CPU, standing for the native library's work. */
const ROUNDS = 16;

/** A fingerprint of one measured route (deterministic: the same route gives the same number). */
export class NativeFingerprint extends Resource {
  constructor(private readonly options: FingerprintOptions) {
    super();
  }

  /**
   * The 32-bit fingerprint of flight `index`'s route. On the `crashAt` flight, the first time,
   * the host process segfaults (`SIGSEGV`) in the middle of the call.
   */
  async fingerprint(index: number, route: string): Promise<number> {
    const { crashAt, crashMarker } = this.options;
    if (index === crashAt && !existsSync(crashMarker)) {
      writeFileSync(crashMarker, `${process.pid}\n`);
      process.kill(process.pid, 'SIGSEGV');
    }
    let h = fnv1a(`${index}|${route}`);
    for (let i = 1; i < ROUNDS; i++) h = fnv1a(route, h);
    return h;
  }
}

/** In the Gru's own process (`--isolation none`: no crash allowed, it would kill the run). */
@resource({ id: '537d83d6-7216-48aa-ab45-63bd61586f30' })
export class InProcessNativeFingerprint extends NativeFingerprint {
  // The constructor is repeated: `@inject` tokens belong to the class that declares them.
  constructor(@inject(FINGERPRINT_OPTIONS) options: FingerprintOptions) { super(options); }
}

/** In a child process: a segfault kills only the child, which the supervisor restarts. */
@resource({ id: 'f2eb1d32-14d6-4c97-889c-14c5baf11a9e', isolation: { kind: 'process', restartDelayMs: 50 } })
export class ChildNativeFingerprint extends NativeFingerprint {
  constructor(@inject(FINGERPRINT_OPTIONS) options: FingerprintOptions) { super(options); }
}
