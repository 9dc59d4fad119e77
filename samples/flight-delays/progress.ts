import { Presets, SingleBar } from 'cli-progress';

/** A running progress display; `stop()` is idempotent. */
export interface Progress {
  stop(): void;
}

/**
 * Shows a progress bar on stderr, refreshed from `done()` five times a second, only when stderr
 * is a terminal (a pipe or a file gets nothing).
 */
export function startProgress(total: number, done: () => number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total === 0) return { stop: () => undefined };
  const bar = new SingleBar({
    stream,
    format: 'flights {bar} {percentage}% | {value}/{total} | {duration}s elapsed, ETA {eta}s',
    hideCursor: true,
    etaBuffer: 50,
  }, Presets.shades_classic);
  bar.start(total, done());
  const timer = setInterval(() => bar.update(Math.min(done(), total)), 200);
  timer.unref();
  let stopped = false;
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      bar.update(Math.min(done(), total));
      bar.stop();
    },
  };
}
