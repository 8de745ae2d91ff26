import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { loadConfigurationFile } from '../../app/index.js';
import type { OpenumConfiguration } from '../../config/index.js';
import { Directory, DirectoryLookupError } from '../../directory/index.js';
import type { AccessTokenInfo, CredentialStore } from '../../mailbox/index.js';
import { MIN_PASSWORD_LENGTH, openMessageStore } from '../../mailbox/index.js';
import { ExitCode } from '../exit-codes.js';
import type { ExitCodeValue } from '../exit-codes.js';
import type { CommandOutput } from '../output.js';

/** Options every `openum token` / `openum password` command takes. */
export interface CredentialCommandOptions {
  config: string;
}

/** Options of `openum token create`. */
export interface TokenCreateOptions extends CredentialCommandOptions {
  label?: string;
}

/** Options of `openum token list`. */
export interface TokenListOptions extends CredentialCommandOptions {
  json?: boolean;
}

/** Reads the first line of the command's standard input (without its line ending). */
export type ReadFirstLine = () => Promise<string>;

/**
 * Opens the configuration and the store, checks the alias is a configured UM mailbox (unknown:
 * DirectoryLookupError, exit 2), runs `work` with the alias as the directory spells it, closes the store.
 */
async function withCredentials<T>(configFile: string, alias: string, work: (alias: string, credentials: CredentialStore) => Promise<T>): Promise<T> {
  const { configuration } = loadConfigurationFile(configFile);
  const mailbox = new Directory(configuration as OpenumConfiguration).findMailbox(alias);
  if (!mailbox) throw new DirectoryLookupError('UM mailbox', alias);
  const store = await openMessageStore(configuration);
  try {
    return await work(mailbox.Alias, store.credentials);
  } finally {
    await store.close();
  }
}

/** `openum token create`: issues an API token; the token itself is the last line printed (shown once). */
export async function runTokenCreate(alias: string, options: TokenCreateOptions, io: CommandOutput): Promise<ExitCodeValue> {
  return withCredentials(options.config, alias, async (mailbox, credentials) => {
    const { token, info } = await credentials.createToken(mailbox, options.label === undefined ? {} : { label: options.label });
    io.err(`token ${info.id} created for ${mailbox}${info.label === null ? '' : ` (${info.label})`}; it is shown once, below: keep it now`);
    io.out(token);
    return ExitCode.Ok;
  });
}

/** `openum token list`: the mailbox's tokens (ids, labels, times; never the tokens). */
export async function runTokenList(alias: string, options: TokenListOptions, io: CommandOutput): Promise<ExitCodeValue> {
  return withCredentials(options.config, alias, async (mailbox, credentials) => {
    const tokens = await credentials.listTokens(mailbox);
    if (options.json) {
      for (const t of tokens) io.out(JSON.stringify(tokenToJson(t)));
    } else {
      for (const t of tokens) io.out(`${t.id}  created ${t.createdAt.toISOString()}  last used ${t.lastUsedAt?.toISOString() ?? 'never'}${t.label === null ? '' : `  ${t.label}`}`);
      io.out(`${tokens.length} token(s) for ${mailbox}`);
    }
    return ExitCode.Ok;
  });
}

/** `openum token revoke`: revokes one token by id; exit 1 when the mailbox has no such token. */
export async function runTokenRevoke(alias: string, id: string, options: CredentialCommandOptions, io: CommandOutput): Promise<ExitCodeValue> {
  return withCredentials(options.config, alias, async (mailbox, credentials) => {
    if (!(await credentials.revokeToken(mailbox, id))) {
      io.err(`openum: ${mailbox} has no token ${id} (see openum token list)`);
      return ExitCode.Failed;
    }
    io.out(`revoked ${id}`);
    return ExitCode.Ok;
  });
}

/** `openum password set`: sets or replaces the mailbox's password, read from the first line of stdin. */
export async function runPasswordSet(alias: string, options: CredentialCommandOptions, io: CommandOutput, readFirstLine: ReadFirstLine): Promise<ExitCodeValue> {
  return withCredentials(options.config, alias, async (mailbox, credentials) => {
    const password = await readFirstLine();
    if ([...password].length < MIN_PASSWORD_LENGTH) {
      io.err(`openum: the password must have at least ${MIN_PASSWORD_LENGTH} characters (read from the first line of standard input)`);
      return ExitCode.Usage;
    }
    await credentials.setPassword(mailbox, password);
    io.out(`password set for ${mailbox}`);
    return ExitCode.Ok;
  });
}

/** The first line of a stream (without its line ending); '' when it ends first. Stops reading after that line. */
export function readFirstLineFrom(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
    let done = false;
    const finish = (line: string) => {
      if (done) return;
      done = true;
      lines.close();
      // Leave the rest unread and let the process exit: a paused stdin holds no reference.
      input.pause();
      resolve(line);
    };
    lines.once('line', finish);
    lines.once('close', () => finish(''));
    input.once('error', reject);
  });
}

/** The first line of the process's standard input. */
export const readFirstLineOfStdin: ReadFirstLine = () => {
  // A prompt only for a person at a terminal; piped input stays silent. (The terminal echoes what is typed.)
  if (process.stdin.isTTY) process.stderr.write('password (first line; it is shown as you type — prefer piping it in): ');
  return readFirstLineFrom(process.stdin);
};

function tokenToJson(t: AccessTokenInfo): Record<string, unknown> {
  return { id: t.id, mailbox: t.mailbox, label: t.label, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null };
}

/** Adds `openum token create|list|revoke` and `openum password set` to the program. */
export function registerCredentialCommands(program: Command, io: CommandOutput, setExit: (code: number) => void, readFirstLine: ReadFirstLine = readFirstLineOfStdin): void {
  const token = program.command('token').description('API tokens of a UM mailbox user (bearer credentials for the JSON API and EWS)');
  token
    .command('create')
    .description('issue a token; it is printed once, as the last line of output')
    .requiredOption('--config <file>', 'configuration file')
    .option('--label <text>', 'what the token is for (shown by list)')
    .argument('<alias>', 'the mailbox Alias')
    .action(async (alias: string, options: TokenCreateOptions) => setExit(await runTokenCreate(alias, options, io)));
  token
    .command('list')
    .description('the mailbox\'s tokens: id, creation, last use, label (never the token)')
    .requiredOption('--config <file>', 'configuration file')
    .option('--json', 'one JSON object per token')
    .argument('<alias>', 'the mailbox Alias')
    .action(async (alias: string, options: TokenListOptions) => setExit(await runTokenList(alias, options, io)));
  token
    .command('revoke')
    .description('revoke a token by id (from list)')
    .requiredOption('--config <file>', 'configuration file')
    .argument('<alias>', 'the mailbox Alias')
    .argument('<id>', 'the token id')
    .action(async (alias: string, id: string, options: CredentialCommandOptions) => setExit(await runTokenRevoke(alias, id, options, io)));

  const password = program.command('password').description('the password a UM mailbox user signs in with over HTTP (Basic)');
  password
    .command('set')
    .description('set or replace the password, read from the first line of standard input')
    .requiredOption('--config <file>', 'configuration file')
    .argument('<alias>', 'the mailbox Alias')
    .action(async (alias: string, options: CredentialCommandOptions) => setExit(await runPasswordSet(alias, options, io, readFirstLine)));
}
