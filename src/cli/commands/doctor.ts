import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { doctorIds } from '../ids/doctor-ids';
import { collectProjectFiles } from '../ids/project-files';
import { loadTypeScript } from '../ids/typescript';

/**
 * `minions doctor ids <paths..> [--json]`: read-only identity checks (see `doctorIds`).
 * Prints one line per finding, `file:line: code: message`, and exits 1 when there is any; else
 * prints `No identity issues found.` and exits 0. `--json` prints `{ ok, findings }`.
 */
export function registerDoctor(program: Command): void {
  const doctor = program.command('doctor').description('check a project without changing it');
  doctor
    .command('ids')
    .description('report missing, invalid and duplicate component ids and config ids (read-only)')
    .argument('<paths...>', 'TypeScript sources, config files, or directories')
    .option('--json', 'print the findings as JSON')
    .addHelpText('after', '\nFinding codes: missing-component-id, invalid-component-id, duplicate-component-id, unverifiable-component-id,\n' +
      'missing-config-id, invalid-config-id, duplicate-config-id, unreadable-file. Exit 1 when there is any finding.')
    .action((paths: string[], options: { json?: boolean }) => {
      loadTypeScript('doctor');
      const findings = doctorIds(collectProjectFiles(paths, { sources: true, configs: true }));
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ok: findings.length === 0, findings }, null, 2)}\n`);
      } else if (findings.length === 0) {
        process.stdout.write('No identity issues found.\n');
      } else {
        for (const f of findings) process.stdout.write(`${f.file}:${f.line}: ${f.code}: ${f.message}\n`);
      }
      if (findings.length > 0) throw new CliError(options.json ? '' : `${findings.length} identity issue(s) found`);
    });
}
