/**
 * The first stack frame of an error that points at user code (not node internals, not
 * node_modules, not the Minions engine), as `{ filepath, lineno }`, for "Workflow Step failed".
 */
export function userFrame(error: unknown): { filepath: string; lineno: number } | undefined {
  const stack = (error as Error | undefined)?.stack;
  if (typeof stack !== 'string') return undefined;
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:[A-Za-z]:)?[^()\s]+):(\d+):\d+\)?\s*$/.exec(line);
    if (!m) continue;
    const file = m[1];
    if (file.startsWith('node:') || file.includes('/node_modules/') || /[\\/]src[\\/]core[\\/]/.test(file)) continue;
    return { filepath: file, lineno: Number(m[2]) };
  }
  return undefined;
}
