import type { Command } from 'commander';
import { adminRequest, printJson, printLines, resolveTarget, type AdminOptions } from '../admin/admin-client';
import { ADMIN_HELP, addAdminOptions } from '../admin/admin-options';
import type { StatusBody } from '../admin/admin-types';
import { statusReport } from '../admin/status-report';

/**
 * `minions status [--url URL] [--state-dir DIR | --token-file FILE] [--json]`: what a running
 * process runs now (`GET /status` of its admin API), as tables (see `statusReport`) or the JSON.
 */
export function registerStatus(program: Command): void {
  addAdminOptions(program
    .command('status')
    .description('show what a running process runs: orchestrations, pipelines, resources, readiness (admin API)'))
    .addHelpText('after', ADMIN_HELP)
    .action(async (options: AdminOptions) => {
      const status = await adminRequest<StatusBody>(resolveTarget(options), 'GET', '/status');
      if (options.json) printJson(status);
      else printLines(statusReport(status));
    });
}
