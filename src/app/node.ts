import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CallAnsweringOutcome, CallApplication, TestCallReport } from '../calls/index.js';
import { createTestApplication, createVoicemailApplication } from '../calls/index.js';
import type { OpenumConfiguration } from '../config/index.js';
import type { MailboxService, MessageStore } from '../mailbox/index.js';
import { MailboxService as Mailboxes, openMessageStore } from '../mailbox/index.js';
import { PromptLibrary, recoverPartialRecordings, RecordingFile, WavCache } from '../media/index.js';
import type { AddressLookup, ListenOptions } from '../sip/index.js';
import { OpenumServer } from './server.js';
import { systemPromptsDirectory } from './system-prompts-directory.js';

/** Options of {@link startNode}. */
export interface NodeOptions {
  logger: Logger;
  /** Tests: bind ephemeral ports instead of the configured ones. */
  listenOverride?: { sip?: ListenOptions[]; http?: { host: string; port: number } };
  resolveGatewayAddress?: AddressLookup;
  gatewayRefreshMs?: number;
  /** Observers of finished calls (tests, and later the notification layer). */
  onCallAnswering?: (outcome: CallAnsweringOutcome) => void;
  onTestCall?: (report: TestCallReport) => void;
}

/** A running openum node and the services behind it. */
export interface RunningNode {
  server: OpenumServer;
  store: MessageStore;
  mailboxes: MailboxService;
  prompts: PromptLibrary;
  /** Stop taking calls, let them finish for `graceMs`, then close everything. */
  drain(graceMs: number): Promise<void>;
  /** Close everything now. */
  close(): Promise<void>;
}

/**
 * Starts everything a node runs, in dependency order: message store (recovering what a crash left),
 * prompts (refusing to start with one missing), call applications, then SIP/RTP/HTTP.
 */
export async function startNode(configuration: OpenumConfiguration, options: NodeOptions): Promise<RunningNode> {
  const logger = options.logger;
  const store = await openMessageStore(configuration, { logger: logger.child({ module: 'mailbox' }) });
  let mailboxes: MailboxService | undefined;
  try {
    mailboxes = await Mailboxes.create({
      configuration,
      store,
      recordings: { create: (path) => RecordingFile.create(path), recoverPartial: recoverPartialRecordings },
      logger: logger.child({ module: 'mailbox' }),
    });
    const recovered = await mailboxes.recover();
    if (recovered.delivered.length + recovered.dropped.length + recovered.failed.length > 0) {
      logger.warn({ delivered: recovered.delivered.length, dropped: recovered.dropped.length, failed: recovered.failed.length }, 'recovered recordings left by an earlier stop');
    }
    const cache = new WavCache();
    const prompts = await PromptLibrary.load({ systemDirectory: systemPromptsDirectory(), customDirectory: join(configuration.Server.DataDirectory, 'prompts'), cache });
    const applications: Partial<Record<string, CallApplication>> = {
      'call-answering': createVoicemailApplication({ mailboxes, prompts, ...(options.onCallAnswering ? { onOutcome: options.onCallAnswering } : {}) }),
    };
    if (configuration.Server.TestExtension !== undefined) {
      applications['test'] = createTestApplication({ recordingsDirectory: join(configuration.Server.DataDirectory, 'test-calls'), ...(options.onTestCall ? { onFinished: options.onTestCall } : {}) });
    }
    const server = await OpenumServer.start(configuration, {
      logger,
      applications,
      prompts: cache,
      ...(options.listenOverride ? { listenOverride: options.listenOverride } : {}),
      ...(options.resolveGatewayAddress ? { resolveGatewayAddress: options.resolveGatewayAddress } : {}),
      ...(options.gatewayRefreshMs ? { gatewayRefreshMs: options.gatewayRefreshMs } : {}),
    });
    const services = mailboxes;
    const closeServices = async () => {
      await services.close();
      await store.close();
    };
    return {
      server,
      store,
      mailboxes: services,
      prompts,
      drain: async (graceMs) => {
        await server.drain(graceMs);
        await closeServices();
      },
      close: async () => {
        await server.close();
        await closeServices();
      },
    };
  } catch (error) {
    await mailboxes?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
}
