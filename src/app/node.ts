import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CallAnsweringOutcome, CallApplication, TestCallReport } from '../calls/index.js';
import { createTestApplication, createVoicemailApplication } from '../calls/index.js';
import type { OpenumConfiguration } from '../config/index.js';
import type { MailboxService, MessageStore } from '../mailbox/index.js';
import { MailboxService as Mailboxes, openMessageStore } from '../mailbox/index.js';
import { PromptLibrary, recoverPartialRecordings, RecordingFile, WavCache } from '../media/index.js';
import { Directory } from '../directory/index.js';
import { createMailTransport, MessageWaitingIndicator, NotificationOutbox } from '../notify/index.js';
import { Registry } from 'prom-client';
import { NotificationMetrics } from './notification-metrics.js';
import { registerHttpFrontEnds } from './http-front-ends.js';
import type { HttpFrontEnds } from './http-front-ends.js';
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
  /** The e-mail outbox (voice mail, missed calls). */
  notifications: NotificationOutbox;
  /** The message-waiting indicator (unsolicited NOTIFYs, subscriptions). */
  mwi: MessageWaitingIndicator;
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
  const directory = new Directory(configuration);
  const registry = new Registry();
  const store = await openMessageStore(configuration, { logger: logger.child({ module: 'mailbox' }) });
  let mailboxes: MailboxService | undefined;
  let notifications: NotificationOutbox | undefined;
  try {
    const metrics = new NotificationMetrics(registry, store.outbox);
    const outbox = new NotificationOutbox({
      configuration,
      directory,
      store,
      // The mailbox service exists by the time anything is delivered (the loop starts below).
      audioPath: (message) => services().audioFilePath(message),
      transport: createMailTransport(configuration.Server.Mail),
      logger: logger.child({ module: 'notify' }),
      onResult: (kind, result) => metrics.delivery(kind, result),
    });
    notifications = outbox;
    // The SIP endpoint exists only once the server listens; MWI NOTIFYs before that are skipped.
    const signalling: { server?: OpenumServer } = {};
    const mwi = new MessageWaitingIndicator({
      configuration,
      directory,
      store,
      signalling: () => signalling.server,
      logger: logger.child({ module: 'mwi' }),
      onResult: (result) => metrics.mwiNotify(result),
    });
    mailboxes = await Mailboxes.create({
      configuration,
      store,
      directory,
      recordings: { create: (path) => RecordingFile.create(path), recoverPartial: recoverPartialRecordings },
      logger: logger.child({ module: 'mailbox' }),
      inDeliveryTransaction: (message, tx) => outbox.enqueueVoiceMail(message, tx),
      onMessageDelivered: (message) => {
        outbox.wake();
        mwi.changed(message.mailbox);
      },
    });
    const created = mailboxes;
    const services = () => created;
    const recovered = await mailboxes.recover();
    if (recovered.delivered.length + recovered.dropped.length + recovered.failed.length > 0) {
      logger.warn({ delivered: recovered.delivered.length, dropped: recovered.dropped.length, failed: recovered.failed.length }, 'recovered recordings left by an earlier stop');
    }
    outbox.start();
    const cache = new WavCache();
    const prompts = await PromptLibrary.load({ systemDirectory: systemPromptsDirectory(), customDirectory: join(configuration.Server.DataDirectory, 'prompts'), cache });
    const onOutcome = (outcome: CallAnsweringOutcome) => {
      options.onCallAnswering?.(outcome);
      if (outcome.result === 'message') return;
      // Every other ending is a caller who reached UM and left no message: a missed call (spec §4).
      outbox.enqueueMissedCall({
        mailbox: outcome.mailbox,
        callId: outcome.callId,
        caller: { id: outcome.caller.id, isNumber: outcome.caller.isNumber, name: outcome.callerName ?? undefined },
        receivedAt: outcome.receivedAt,
      }).catch((error: unknown) => logger.error({ err: error, callId: outcome.callId }, 'missed-call notification could not be queued'));
    };
    let frontEnds: HttpFrontEnds | undefined;
    const applications: Partial<Record<string, CallApplication>> = {
      'call-answering': createVoicemailApplication({ mailboxes, prompts, directory, onOutcome }),
    };
    if (configuration.Server.TestExtension !== undefined) {
      applications['test'] = createTestApplication({ recordingsDirectory: join(configuration.Server.DataDirectory, 'test-calls'), ...(options.onTestCall ? { onFinished: options.onTestCall } : {}) });
    }
    const server = await OpenumServer.start(configuration, {
      logger,
      applications,
      prompts: cache,
      metricsRegistry: registry,
      // Play on Phone calls get their BYE, subscribers their final NOTIFY, before SIP closes.
      beforeClose: async () => {
        frontEnds?.playOnPhone.close();
        await mwi.close();
      },
      registerHttp: (app, running) => {
        frontEnds = registerHttpFrontEnds(app, running, { configuration, directory, store, mailboxes: created, logger, onMailboxChanged: (alias) => mwi.changed(alias) });
      },
      onSubscription: (subscription, gatewayDialPlans) => {
        mwi.subscribe(subscription, gatewayDialPlans).catch((error: unknown) => logger.error({ err: error, callId: subscription.callId }, 'MWI subscription failed'));
      },
      ...(options.listenOverride ? { listenOverride: options.listenOverride } : {}),
      ...(options.resolveGatewayAddress ? { resolveGatewayAddress: options.resolveGatewayAddress } : {}),
      ...(options.gatewayRefreshMs ? { gatewayRefreshMs: options.gatewayRefreshMs } : {}),
    });
    signalling.server = server;
    mwi.start();
    const closeServices = async () => {
      frontEnds?.playOnPhone.close();
      await frontEnds?.readMarker.flush();
      await mwi.close();
      await created.close();
      await outbox.close();
      await store.close();
    };
    return {
      server,
      store,
      mailboxes: created,
      prompts,
      notifications: outbox,
      mwi,
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
    await notifications?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
}
