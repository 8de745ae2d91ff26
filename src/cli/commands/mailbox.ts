import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { loadConfigurationFile } from '../../app/index.js';
import type { OpenumConfiguration } from '../../config/index.js';
import { Directory, DirectoryLookupError } from '../../directory/index.js';
import type { MessageState, MessageStore, StoredMessage } from '../../mailbox/index.js';
import { decodeToWav, MailboxFileError, MailboxPaths, MessageNotFoundError, openMessageStore, purgeMessages, STORAGE_FORMATS } from '../../mailbox/index.js';
import { ExitCode } from '../exit-codes.js';
import type { ExitCodeValue } from '../exit-codes.js';
import type { CommandOutput } from '../output.js';

/** Options every `openum mailbox` command takes. */
export interface MailboxCommandOptions {
  config: string;
}

/** Options of `openum mailbox list`. */
export interface MailboxListOptions extends MailboxCommandOptions {
  json?: boolean;
  state?: MessageState | 'all';
}

/** Options of `openum mailbox play` and `export`. */
export interface MailboxOutputOptions extends MailboxCommandOptions {
  out?: string;
}

/** Options of `openum mailbox delete`. */
export interface MailboxDeleteOptions extends MailboxCommandOptions {
  purge?: boolean;
}

/** One message as `openum mailbox list --json` prints it. */
export interface MailboxListEntry {
  id: string;
  mailbox: string;
  caller: string | null;
  callerName: string | null;
  receivedAt: string;
  /** Whole seconds, as Exchange's X-VoiceMessageDuration. */
  durationSeconds: number;
  durationMs: number;
  codec: string;
  /** Absolute path of the stored audio. */
  audioPath: string;
  sizeBytes: number;
  state: MessageState;
  urgent: boolean;
  recovered: boolean;
  callId: string | null;
}

/** What a mailbox command works on: the configured mailbox, the open store, the file layout. */
interface MailboxContext {
  alias: string;
  store: MessageStore;
  paths: MailboxPaths;
}

/** Opens the configuration and the store, runs `work`, closes the store. */
async function withMailbox<T>(configFile: string, alias: string, work: (context: MailboxContext) => Promise<T>): Promise<T> {
  const { configuration } = loadConfigurationFile(configFile);
  const mailbox = new Directory(configuration as OpenumConfiguration).findMailbox(alias);
  if (!mailbox) throw new DirectoryLookupError('UM mailbox', alias);
  const store = await openMessageStore(configuration);
  try {
    return await work({ alias: mailbox.Alias, store, paths: new MailboxPaths(configuration.Server.DataDirectory) });
  } finally {
    await store.close();
  }
}

async function findMessage(context: MailboxContext, id: string): Promise<StoredMessage> {
  const message = await context.store.getMessage(id);
  if (!message || message.mailbox !== context.alias) throw new MessageNotFoundError(id, context.alias);
  return message;
}

/** A message as a `list --json` line. */
export function toListEntry(message: StoredMessage, paths: MailboxPaths): MailboxListEntry {
  return {
    id: message.id,
    mailbox: message.mailbox,
    caller: message.caller,
    callerName: message.callerName,
    receivedAt: message.receivedAt.toISOString(),
    durationSeconds: Math.round(message.durationMs / 1000),
    durationMs: message.durationMs,
    codec: message.codec,
    audioPath: paths.resolve(message.audioPath),
    sizeBytes: message.sizeBytes,
    state: message.state,
    urgent: message.urgent,
    recovered: message.recovered,
    callId: message.callId,
  };
}

function describeMessage(m: StoredMessage): string {
  const from = m.callerName && m.caller ? `${m.callerName} <${m.caller}>` : (m.callerName ?? m.caller ?? 'anonymous caller');
  const flags = [m.urgent ? 'urgent' : '', m.recovered ? 'recovered' : ''].filter(Boolean).join(',');
  return `${m.id}  ${m.receivedAt.toISOString()}  ${m.state.padEnd(7)}  ${String(Math.round(m.durationMs / 1000)).padStart(4)} s  ${m.codec.padEnd(4)}  ${from}${flags ? `  [${flags}]` : ''}`;
}

/** `openum mailbox list`: a mailbox's messages, newest first. */
export async function runMailboxList(alias: string, options: MailboxListOptions, io: CommandOutput): Promise<ExitCodeValue> {
  return withMailbox(options.config, alias, async (context) => {
    const messages = await context.store.listMessages(context.alias, options.state === undefined ? {} : { state: options.state });
    if (options.json) {
      for (const m of messages) io.out(JSON.stringify(toListEntry(m, context.paths)));
    } else {
      for (const m of messages) io.out(describeMessage(m));
      const counts = await context.store.countMessages(context.alias);
      io.out(`${messages.length} message(s) listed; ${counts.newMessages} new, ${counts.oldMessages} old`);
    }
    return ExitCode.Ok;
  });
}

/**
 * `openum mailbox play`: decodes the message to a plain 8 kHz 16-bit PCM WAV any player takes (at
 * `--out`, or a new temporary file) and prints its path. The message stays unread.
 */
export async function runMailboxPlay(alias: string, id: string, options: MailboxOutputOptions, io: CommandOutput): Promise<ExitCodeValue> {
  return withMailbox(options.config, alias, async (context) => {
    const message = await findMessage(context, id);
    const source = context.paths.resolve(message.audioPath);
    const out = options.out === undefined ? join(await mkdtemp(join(tmpdir(), 'openum-play-')), `${message.id}.wav`) : resolve(options.out);
    if (STORAGE_FORMATS[message.codec].encoder === undefined) {
      await copy(source, out);
    } else {
      await decodeToWav(source, out);
    }
    io.out(out);
    return ExitCode.Ok;
  });
}

/** `openum mailbox export`: copies the stored audio as it is (storage codec) to `--out`. */
export async function runMailboxExport(alias: string, id: string, options: MailboxOutputOptions & { out: string }, io: CommandOutput): Promise<ExitCodeValue> {
  return withMailbox(options.config, alias, async (context) => {
    const message = await findMessage(context, id);
    const out = resolve(options.out);
    await copy(context.paths.resolve(message.audioPath), out);
    io.out(out);
    return ExitCode.Ok;
  });
}

/** `openum mailbox delete`: soft-deletes a message (as a user would); `--purge` also removes its file and row now. */
export async function runMailboxDelete(alias: string, id: string, options: MailboxDeleteOptions, io: CommandOutput): Promise<ExitCodeValue> {
  return withMailbox(options.config, alias, async (context) => {
    const message = await findMessage(context, id);
    await context.store.setMessageState(message.id, 'deleted');
    if (options.purge) {
      await purgeMessages(context.store, context.paths, [message]);
      io.out(`purged ${message.id}`);
    } else {
      io.out(`deleted ${message.id}`);
    }
    return ExitCode.Ok;
  });
}

async function copy(source: string, out: string): Promise<void> {
  try {
    await copyFile(source, out);
  } catch (error) {
    throw new MailboxFileError(out, `copy ${source} to`, error);
  }
}

/** Adds `openum mailbox list|play|export|delete` to the program. */
export function registerMailboxCommands(program: Command, io: CommandOutput, setExit: (code: number) => void): void {
  const mailbox = program.command('mailbox').description('list, play, export and delete the voice messages of a UM mailbox');
  mailbox
    .command('list')
    .description('messages of a mailbox, newest first (deleted ones only with --state deleted or all)')
    .requiredOption('--config <file>', 'configuration file')
    .option('--json', 'one JSON object per message')
    .addOption(new Option('--state <state>', 'only messages in this state').choices(['new', 'read', 'deleted', 'all']))
    .argument('<alias>', 'the mailbox Alias')
    .action(async (alias: string, options: MailboxListOptions) => setExit(await runMailboxList(alias, options, io)));
  mailbox
    .command('play')
    .description('decode a message to an 8 kHz PCM WAV file and print its path (the message stays unread)')
    .requiredOption('--config <file>', 'configuration file')
    .option('--out <file>', 'where to write the WAV file (default: a new temporary file)')
    .argument('<alias>', 'the mailbox Alias')
    .argument('<id>', 'the message id (from list)')
    .action(async (alias: string, id: string, options: MailboxOutputOptions) => setExit(await runMailboxPlay(alias, id, options, io)));
  mailbox
    .command('export')
    .description('copy a message\'s audio file, in its storage codec, to --out')
    .requiredOption('--config <file>', 'configuration file')
    .requiredOption('--out <file>', 'destination file')
    .argument('<alias>', 'the mailbox Alias')
    .argument('<id>', 'the message id (from list)')
    .action(async (alias: string, id: string, options: MailboxOutputOptions & { out: string }) => setExit(await runMailboxExport(alias, id, options, io)));
  mailbox
    .command('delete')
    .description('delete a message (soft: the server purges it later; --purge removes it now)')
    .requiredOption('--config <file>', 'configuration file')
    .option('--purge', 'remove the audio file and the row now')
    .argument('<alias>', 'the mailbox Alias')
    .argument('<id>', 'the message id (from list)')
    .action(async (alias: string, id: string, options: MailboxDeleteOptions) => setExit(await runMailboxDelete(alias, id, options, io)));
}
