import { formatAge, formatSize, formatTable } from '../inspect/format';
import type { StatusBody } from './admin-types';

/**
 * The text `minions status` prints: the orchestrations (ORCHESTRATION, MINION, PIPELINE, STATE,
 * IN-FLIGHT, BUFFERED, DROPPED, RESUMED, UP), why failed ones failed, the pipelines, the resources
 * with their reference counts and dependencies, readiness and the process.
 * @param now the current time (ms since the epoch), for the UP column.
 * @returns the lines, without line breaks.
 */
export function statusReport(status: StatusBody, now: number = Date.now()): string[] {
  const lines: string[] = [];
  if (status.orchestrations.length === 0) {
    lines.push('No orchestrations.');
  } else {
    lines.push(...formatTable([
      ['ORCHESTRATION', 'MINION', 'PIPELINE', 'STATE', 'IN-FLIGHT', 'BUFFERED', 'DROPPED', 'RESUMED', 'UP'],
      ...status.orchestrations.map((o) => [
        o.orchestrationId, o.minionClass, o.pipelineClass, o.state, String(o.inflightWorkflows), String(o.bufferedEvents),
        String(o.droppedEvents), String(o.resumedWorkflows), o.startedAt === null ? '-' : formatAge(now - Date.parse(o.startedAt)),
      ]),
    ]));
    for (const o of status.orchestrations) {
      if (o.error) lines.push(`Orchestration ${o.orchestrationId} failed: ${o.error.type}: ${o.error.message}`);
    }
  }
  lines.push('');
  lines.push(...(status.pipelines.length === 0 ? ['No pipelines.'] : formatTable([
    ['PIPELINE', 'CLASS', 'SUBSCRIBERS', 'ENDED'],
    ...status.pipelines.map((p) => [p.identity, p.className, String(p.subscribers), p.ended ? 'yes' : 'no']),
  ])));
  lines.push('');
  const classOf = new Map(status.resources.map((r) => [r.identity, r.className]));
  lines.push(...(status.resources.length === 0 ? ['No resources.'] : formatTable([
    ['RESOURCE', 'CLASS', 'REFS', 'DEPENDS ON'],
    ...status.resources.map((r) => [
      r.identity, r.className, String(r.refs), r.dependsOn.length === 0 ? '-' : r.dependsOn.map((d) => classOf.get(d) ?? d).join(', '),
    ]),
  ])));
  lines.push('');
  lines.push(status.ready.ready ? 'Ready: yes' : `Ready: no: ${status.ready.reasons.join('; ')}`);
  const p = status.process;
  lines.push(`Process: pid ${p.pid}, up ${formatAge(p.uptimeSeconds * 1000)}, rss ${formatSize(p.rssBytes)}, node ${p.nodeVersion}`);
  return lines;
}
