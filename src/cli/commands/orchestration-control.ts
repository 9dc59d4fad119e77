import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { adminRequest, printJson, printLines, resolveTarget, type AdminOptions } from '../admin/admin-client';
import { ADMIN_HELP, addAdminOptions } from '../admin/admin-options';
import type { StartBody, StopBody } from '../admin/admin-types';

/** `minions drain <orchestrationId>`: stop intake, finish in-flight workflows, stop (`POST /orchestrations/:id/drain`). */
export function registerDrain(program: Command): void {
  registerStopLike(program, 'drain', 'take no new events, finish the workflows in flight, then stop an orchestration (admin API)', 'Drained');
}

/** `minions stop <orchestrationId>`: stop an orchestration; unfinished workflows keep their checkpoints (`POST /orchestrations/:id/stop`). */
export function registerStop(program: Command): void {
  registerStopLike(program, 'stop', 'stop an orchestration; unfinished workflows keep their checkpoints and resume on its next start (admin API)', 'Stopped');
}

/**
 * `minions restart <orchestrationId> [--reload]`: drain an orchestration, then start it again;
 * `--reload` loads its minion's module again first (`POST /orchestrations/:id/restart`).
 */
export function registerRestart(program: Command): void {
  addAdminOptions(program
    .command('restart')
    .description('drain an orchestration (finish the workflows in flight), then start it again; --reload loads its minion\'s module again (redeploy) (admin API)')
    .argument('<orchestrationId>', 'the orchestration (see `minions status`)')
    .option('--reload', 'load the minion\'s module again before starting'))
    .addHelpText('after', ADMIN_HELP)
    .action(async (id: string, options: AdminOptions & { reload?: boolean }) => {
      const body = options.reload ? { reload: true } : {};
      const result = await adminRequest<StartBody>(resolveTarget(options), 'POST', `/orchestrations/${encodeURIComponent(id)}/restart`, body);
      if (options.json) return printJson(result);
      printLines([`Restarted orchestration ${result.orchestrationId}${options.reload ? ' (module reloaded)' : ''}: resumed ${result.resumedWorkflows} workflow(s).`]);
    });
}

function registerStopLike(program: Command, name: 'drain' | 'stop', description: string, done: string): void {
  addAdminOptions(program
    .command(name)
    .description(description)
    .argument('<orchestrationId>', 'the orchestration (see `minions status`)'))
    .addHelpText('after', `${ADMIN_HELP}\nAlso exit 1 when the orchestration stopped with cleanup errors (they are printed).`)
    .action(async (id: string, options: AdminOptions) => {
      const result = await adminRequest<StopBody>(resolveTarget(options), 'POST', `/orchestrations/${encodeURIComponent(id)}/${name}`);
      if (options.json) printJson(result);
      else if (!result.stopped) printLines([`Orchestration ${result.orchestrationId} was already stopping.`]);
      else printLines([`${done} orchestration ${result.orchestrationId}: ${result.unfinishedWorkflows} unfinished workflow(s) kept for its next start.`]);
      if (result.errors.length > 0) {
        throw new CliError(`orchestration ${result.orchestrationId} stopped with ${result.errors.length} cleanup error(s):\n` +
          result.errors.map((e) => `  ${e.type}: ${e.message}`).join('\n'));
      }
    });
}
