import { Option, type Command } from 'commander';
import { adminRequest, printJson, printLines, resolveTarget, type AdminOptions } from '../admin/admin-client';
import { ADMIN_HELP, addAdminOptions } from '../admin/admin-options';
import type { WorkflowsBody } from '../admin/admin-types';
import { workflowsReport } from '../admin/workflows-report';

/**
 * `minions workflows [--state failed|pending|running] [--orchestration ID]`: the saved workflows
 * of a running process (`GET /workflows`), as a table (see `workflowsReport`) or the JSON.
 */
export function registerWorkflows(program: Command): void {
  addAdminOptions(program
    .command('workflows')
    .description('list the saved workflows of a running process: running, pending, failed (admin API)')
    .addOption(new Option('--state <state>', 'only workflows in this state').choices(['failed', 'pending', 'running']))
    .option('--orchestration <id>', 'only this orchestration\'s workflows'))
    .addHelpText('after', ADMIN_HELP)
    .action(async (options: AdminOptions & { state?: string; orchestration?: string }) => {
      const query = new URLSearchParams();
      if (options.state !== undefined) query.set('state', options.state);
      if (options.orchestration !== undefined) query.set('orchestration', options.orchestration);
      const route = query.size > 0 ? `/workflows?${query.toString()}` : '/workflows';
      const body = await adminRequest<WorkflowsBody>(resolveTarget(options), 'GET', route);
      if (options.json) printJson(body);
      else printLines(workflowsReport(body.workflows));
    });
}

/** `minions retry <workflowId>`: run a kept failed workflow again from the step that failed (`POST /workflows/:id/retry`). */
export function registerRetry(program: Command): void {
  addAdminOptions(program
    .command('retry')
    .description('run a failed workflow (kept by workflowFailurePolicy \'keep\') again from the step that failed (admin API)')
    .argument('<workflowId>', 'the workflow (see `minions workflows --state failed`)'))
    .addHelpText('after', ADMIN_HELP)
    .action(async (id: string, options: AdminOptions) => {
      const body = await adminRequest<{ workflowId: string }>(resolveTarget(options), 'POST', `/workflows/${encodeURIComponent(id)}/retry`);
      if (options.json) printJson(body);
      else printLines([`Workflow ${body.workflowId} retried.`]);
    });
}

/** `minions delete <workflowId>`: delete a saved workflow's checkpoint; it will not run again (`DELETE /workflows/:id`). */
export function registerDelete(program: Command): void {
  addAdminOptions(program
    .command('delete')
    .description('delete a saved workflow (failed, or waiting to resume) so that it never runs again (admin API)')
    .argument('<workflowId>', 'the workflow (see `minions workflows`)'))
    .addHelpText('after', ADMIN_HELP)
    .action(async (id: string, options: AdminOptions) => {
      const body = await adminRequest<{ workflowId: string }>(resolveTarget(options), 'DELETE', `/workflows/${encodeURIComponent(id)}`);
      if (options.json) printJson(body);
      else printLines([`Workflow ${body.workflowId} deleted.`]);
    });
}
