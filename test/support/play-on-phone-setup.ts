// Shared set-up of the Play on Phone tests: a small site, the service over a real SIP endpoint, media
// and mailbox store, SIPp as the called phone, and a socket that captures the RTP openum sends.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import alawmulaw from 'alawmulaw';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { PlayOnPhoneService } from '../../src/calls/play-on-phone/index.js';
import type { PlayOnPhoneServiceOptions } from '../../src/calls/play-on-phone/index.js';
import type { OpenumConfiguration } from '../../src/config/index.js';
import { loadConfigurationText } from '../../src/config/index.js';
import { Directory } from '../../src/directory/index.js';
import { MailboxService, openMessageStore } from '../../src/mailbox/index.js';
import type { MessageStore, StoredMessage } from '../../src/mailbox/index.js';
import { PortPool, RecordingFile, recoverPartialRecordings, WavCache, WorkerMediaEngine } from '../../src/media/index.js';
import { SipEndpoint } from '../../src/sip/index.js';
import { freeUdpPort } from './free-port.js';
import { spawnSipp } from './sipp.js';

export { freeUdpPort };

/** A UM IP gateway of the test site. */
export interface TestGateway {
  name: string;
  port: number;
  transport?: 'UDP' | 'TCP';
  outcallsAllowed?: boolean;
  status?: 'Enabled' | 'Disabled';
  dialPlans?: string[];
}

/**
 * Dial plan Redmond (5-digit extensions, OLAC 9, IAC 011, NNP 1, CC 1) allowing `Local` (425 numbers)
 * but not `UK`; users: kim and erin (Play on Phone allowed, G711), mo (Mp3 storage), pat (policy
 * forbids Play on Phone), lee (mailbox disables it), sam (SipName dial plan Lync, caller ID line set).
 */
export function playOnPhoneSiteYaml(dataDirectory: string, gateways: readonly TestGateway[]): string {
  const gateway = (g: TestGateway) =>
    `  - { Name: ${g.name}, Address: 127.0.0.1, Port: ${g.port}, Transport: ${g.transport ?? 'UDP'}, OutcallsAllowed: ${g.outcallsAllowed ?? true}, ` +
    `Status: ${g.status ?? 'Enabled'}, MessageWaitingIndicatorAllowed: false, UMDialPlans: [${(g.dialPlans ?? ['Redmond']).join(', ')}] }\n`;
  return `
Server:
  Domain: contoso.com
  DataDirectory: ${JSON.stringify(dataDirectory)}
UMDialPlans:
  - Name: Redmond
    NumberOfDigitsInExtension: 5
    OutsideLineAccessCode: "9"
    InternationalAccessCode: "011"
    NationalNumberPrefix: "1"
    CountryOrRegionCode: "1"
    AudioCodec: G711
    ConfiguredInCountryOrRegionGroups: ["Local,91425xxxxxxx,91425xxxxxxx", "AnySip,*,*"]
    ConfiguredInternationalGroups: ["UK,901144*,901144*"]
  - Name: Lync
    URIType: SipName
    NumberOfDigitsInExtension: 5
    OutsideLineAccessCode: "9"
    NationalNumberPrefix: "1"
    CountryOrRegionCode: "1"
    DefaultOutboundCallingLineId: "+1 (425) 555-0100"
    ConfiguredInCountryOrRegionGroups: ["AnySip,*,*"]
UMIPGateways:
${gateways.map(gateway).join('')}
UMMailboxPolicies:
  - { Name: Default, UMDialPlan: Redmond, AllowedInCountryOrRegionGroups: [Local] }
  - { Name: SipAllowed, UMDialPlan: Redmond, AllowedInCountryOrRegionGroups: [AnySip] }
  - { Name: NoPlayOnPhone, UMDialPlan: Redmond, AllowedInCountryOrRegionGroups: [Local], AllowPlayOnPhone: false }
  - { Name: LyncPolicy, UMDialPlan: Lync, AllowedInCountryOrRegionGroups: [AnySip] }
UMMailboxes:
  - { Alias: kim, DisplayName: Kim Akers, PrimarySmtpAddress: kim@contoso.com, UMMailboxPolicy: Default, Extensions: ["50101"], SIPResourceIdentifier: kim@contoso.com }
  - { Alias: erin, DisplayName: Erin Hagens, PrimarySmtpAddress: erin@contoso.com, UMMailboxPolicy: SipAllowed, Extensions: ["50107"] }
  - { Alias: mo, DisplayName: Mo Mp3, PrimarySmtpAddress: mo@contoso.com, UMMailboxPolicy: Default, Extensions: ["50110"], CallAnsweringAudioCodec: Mp3 }
  - { Alias: pat, DisplayName: Pat NoPop, PrimarySmtpAddress: pat@contoso.com, UMMailboxPolicy: NoPlayOnPhone, Extensions: ["50111"] }
  - { Alias: lee, DisplayName: Lee Off, PrimarySmtpAddress: lee@contoso.com, UMMailboxPolicy: Default, Extensions: ["50112"], PlayOnPhoneEnabled: false }
  - { Alias: sam, DisplayName: Sam Lync, PrimarySmtpAddress: sam@contoso.com, UMMailboxPolicy: LyncPolicy, Extensions: ["50113"], SIPResourceIdentifier: sam@contoso.com }
`;
}

/** The test site, validated. */
export function playOnPhoneConfiguration(dataDirectory: string, gateways: readonly TestGateway[]): OpenumConfiguration {
  const loaded = loadConfigurationText(playOnPhoneSiteYaml(dataDirectory, gateways), join(dataDirectory, 'openum.yaml'));
  if (!loaded.configuration) throw new Error(`Play on Phone test site invalid: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.configuration;
}

/** RTP ports for this jest worker: 100 from 52000 up, away from every other test's range. */
export function playOnPhoneRtpPorts(): { min: number; max: number } {
  const worker = Number(process.env['JEST_WORKER_ID'] ?? '1');
  const min = 52000 + ((worker - 1) % 16) * 100;
  return { min, max: min + 99 };
}

/** A UDP "gateway" that never answers: it only records what it receives. */
export class SilentGateway {
  readonly received: string[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('message', (m) => {
      if (this.received.length < 1000) this.received.push(m.toString());
    });
  }

  /** Binds an ephemeral UDP port on 127.0.0.1. */
  static async open(): Promise<SilentGateway> {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    return new SilentGateway(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** The INVITEs received (retransmissions included). */
  invites(): string[] {
    return this.received.filter((m) => m.startsWith('INVITE '));
  }

  close(): void {
    this.socket.close();
  }
}

/** A state change the service logged (debug level). */
export interface LoggedTransition {
  phoneCallId: string;
  from: string;
  to: string;
}

/** A logged entry, parsed. */
export type LogEntry = Record<string, unknown> & { msg?: string };

/** A pino logger at debug level whose entries (bounded) and Play on Phone state changes are kept, in order. */
export function transitionLogger(): { logger: Logger; transitions: LoggedTransition[]; logs: LogEntry[] } {
  const transitions: LoggedTransition[] = [];
  const logs: LogEntry[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        const entry = JSON.parse(line) as LogEntry;
        if (logs.length < 10_000) logs.push(entry);
        if (entry.msg === 'Play on Phone call state') transitions.push({ phoneCallId: String(entry['phoneCallId']), from: String(entry['from']), to: String(entry['to']) });
      }
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), transitions, logs };
}

/** The service over a real SIP endpoint (UDP and TCP on ephemeral ports), media and a SQLite mailbox. */
export interface PlayOnPhoneRig {
  service: PlayOnPhoneService;
  endpoint: SipEndpoint;
  mailboxes: MailboxService;
  store: MessageStore;
  transitions: LoggedTransition[];
  /** Everything the service logged. */
  logs: LogEntry[];
  /** Delivers a message of these samples to a mailbox (through the real deposit path). */
  deliver(alias: string, samples: Int16Array): Promise<StoredMessage>;
  close(): Promise<void>;
}

/** Delivers a message of these samples to a mailbox, as a call would (sidecar, recording, commit). */
export async function deliverMessage(mailboxes: MailboxService, alias: string, samples: Int16Array): Promise<StoredMessage> {
  const pending = await mailboxes.beginMessage({ mailbox: alias, dialPlanCodec: 'G711', caller: '+14255550199', callerName: 'Jo Caller' });
  pending.sink.write(samples);
  const committed = await pending.commit({ voicedMs: (samples.length / 8000) * 1000, samples: samples.length, trailingSilenceSamples: 0 });
  if (!committed) throw new Error('message too short to keep');
  return committed.delivered;
}

/** Starts a rig for a site with these gateways. */
export async function startPlayOnPhoneRig(gateways: readonly TestGateway[], extra: Partial<PlayOnPhoneServiceOptions> = {}): Promise<PlayOnPhoneRig> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'openum-pop-'));
  const configuration = playOnPhoneConfiguration(dataDirectory, gateways);
  const directory = new Directory(configuration);
  const { logger, transitions, logs } = transitionLogger();
  const store = await openMessageStore(configuration);
  const mailboxes = await MailboxService.create({
    configuration,
    store,
    directory,
    recordings: { create: (path) => RecordingFile.create(path), recoverPartial: (dir) => recoverPartialRecordings(dir) },
  });
  const endpoint = await SipEndpoint.start({
    listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }, { protocol: 'tcp', host: '127.0.0.1', port: 0 }],
    logger: pino({ level: 'silent' }),
  });
  // Media threads, as openum serve runs them: the RTP the phones receive comes from a worker.
  const engine = await WorkerMediaEngine.start({ threads: 1, pool: new PortPool(playOnPhoneRtpPorts()), prompts: new WavCache(), logger });
  const service = new PlayOnPhoneService({
    directory,
    sip: endpoint,
    media: { engine, address: '127.0.0.1', inactivityTimeoutMs: 0, logger },
    messages: mailboxes,
    logger,
    ...extra,
  });
  return {
    service,
    endpoint,
    mailboxes,
    store,
    transitions,
    logs,
    deliver: (alias, samples) => deliverMessage(mailboxes, alias, samples),
    close: async () => {
      service.close();
      endpoint.close();
      await engine.close();
      await mailboxes.close();
      await store.close();
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}


/** True once something is bound to UDP `port` on 127.0.0.1 (our own bind then fails); false after `limitMs` or when `gaveUp()`. */
export async function waitUntilBound(port: number, limitMs = 5000, gaveUp: () => boolean = () => false): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  for (let i = 0; i < 500 && Date.now() < deadline && !gaveUp(); i++) {
    const socket = createSocket('udp4');
    const bound = await new Promise<boolean>((resolve) => {
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    if (!bound) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** A SIPp run as the called phone. */
export interface SippPhone {
  /** SIPp's SIP port. */
  port: number;
  done: Promise<{ code: number | null; output: string }>;
  /** Kills SIPp if still running. */
  kill(): void;
}

/**
 * Starts SIPp with a `pop-*.xml` scenario as a UAS for one call on a free UDP port on 127.0.0.1 and
 * resolves once it listens. `messageFile` (with -trace_msg) records every message SIPp saw.
 */
export async function startSippPhone(scenario: string, options: { keys?: Record<string, string>; messageFile?: string; timeoutS?: number; calls?: number } = {}): Promise<SippPhone> {
  const port = await freeUdpPort();
  const keys = Object.entries(options.keys ?? {}).flatMap(([k, v]) => ['-key', k, v]);
  const trace = options.messageFile ? ['-trace_msg', '-message_file', options.messageFile] : [];
  const timeoutS = options.timeoutS ?? 20;
  const { child, done } = spawnSipp(['-sf', scenario, '-p', String(port), '-t', 'u1', '-m', String(options.calls ?? 1), ...keys, ...trace], { hardLimitMs: (timeoutS + 10) * 1000, timeoutS });
  let exited = false;
  void done.then(() => (exited = true));
  if (!(await waitUntilBound(port, 5000, () => exited))) {
    child.kill('SIGKILL');
    throw new Error(`SIPp did not bind UDP ${port}: ${(await done).output}`);
  }
  return { port, done, kill: () => child.kill('SIGKILL') };
}

/** A UDP socket on 127.0.0.1 receiving the RTP openum sends; decodes the PCMU payload. */
export class RtpCapture {
  readonly packets: { payloadType: number; payload: Buffer }[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('message', (m) => {
      if (this.packets.length < 100_000) this.packets.push({ payloadType: m[1]! & 0x7f, payload: m.subarray(12) });
    });
  }

  /** Binds an ephemeral port. */
  static async open(): Promise<RtpCapture> {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    return new RtpCapture(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** The PCMU audio received, decoded to 16-bit samples. */
  pcmuSamples(): Int16Array {
    return alawmulaw.mulaw.decode(Buffer.concat(this.packets.filter((p) => p.payloadType === 0).map((p) => p.payload)));
  }

  close(): void {
    this.socket.close();
  }
}

/** Polls `get` until the call is Disconnected (bounded in count and time). */
export async function untilDisconnected(service: PlayOnPhoneService, alias: string, id: string, limitMs = 20000): Promise<ReturnType<PlayOnPhoneService['get']>> {
  const deadline = Date.now() + limitMs;
  for (let i = 0; i < 5000 && Date.now() < deadline; i++) {
    const info = service.get(alias, id);
    if (info?.state === 'Disconnected') return info;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`call ${id} is still ${String(service.get(alias, id)?.state)}`);
}
