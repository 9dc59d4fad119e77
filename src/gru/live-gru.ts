import { GruAlreadyRunningError } from '../core/errors';

/** Process-wide slot shared by every loaded copy of the package. */
const SLOT = Symbol.for('minions.liveGru');
type Slot = { [SLOT]?: object };

/** Claims the one live-Gru slot. @throws GruAlreadyRunningError when another Gru holds it. */
export function claimLiveGru(gru: object): void {
  const g = globalThis as Slot;
  if (g[SLOT] && g[SLOT] !== gru) throw new GruAlreadyRunningError();
  g[SLOT] = gru;
}

/** Frees the slot if `gru` holds it. */
export function releaseLiveGru(gru: object): void {
  const g = globalThis as Slot;
  if (g[SLOT] === gru) delete g[SLOT];
}
