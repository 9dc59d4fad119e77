import { Option, type Command } from 'commander';
import { DEFAULT_ADMIN_URL, TOKEN_ENV, TOKEN_FILE_NAME } from './admin-client';

/**
 * Adds the options shared by the admin commands (`status`, `drain`, `stop`, `restart`,
 * `workflows`, `retry`, `delete`) to `command`: `--url`, `--state-dir`, `--token-file`, `--json`.
 * @returns `command`.
 */
export function addAdminOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'base URL of the admin API (the process\'s metrics/admin address)').default(DEFAULT_ADMIN_URL))
    .addOption(new Option('--state-dir <dir>', `the running process's state directory, where it writes ${TOKEN_FILE_NAME}`).default('.'))
    .option('--token-file <file>', `the admin token file (default: <state dir>/${TOKEN_FILE_NAME}, or $${TOKEN_ENV} when set)`)
    .option('--json', 'print the API\'s JSON answer');
}

/** The help text after each admin command's own. */
export const ADMIN_HELP = '\nThe token comes from --token-file, else $' + TOKEN_ENV + ', else <--state-dir>/' + TOKEN_FILE_NAME + '.\n' +
  'Exit 1 when the API is unreachable, refuses the token, or answers with an error (its code is printed).';
