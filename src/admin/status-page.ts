/** The status page served at `GET /`: one self-contained HTML document (no build step, no external assets). */
export function statusPageHtml(): string {
  return '<!doctype html><meta charset="utf-8"><title>Minions status</title><p>Status page: see GET /status.</p>';
}
