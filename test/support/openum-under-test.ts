import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { CONFIGURATION_CHECKS, startNode } from '../../src/app/index.js';
import type { NodeOptions, OpenumServer, RunningNode } from '../../src/app/index.js';
import type { CallAnsweringOutcome, TestCallReport } from '../../src/calls/index.js';
import { formatDiagnostic, loadConfigurationText } from '../../src/config/index.js';

/** A site for signalling tests: one gateway at 127.0.0.1, one dial plan, two users, a test extension. */
export function testSiteYaml(overrides: { maxCalls?: number; rtpPortMin: number; audioCodec?: string; mail?: string; mwiRefresh?: number; mwiGateways?: { port: number; transport: 'UDP' | 'TCP' }[]; mediaThreads?: number; mainThreadPriority?: 'High' | 'Normal' } ): string {
  return `
Server:
  DataDirectory: ./data${overrides.mail ? `\n  Mail: ${overrides.mail}` : ''}${overrides.mwiRefresh ? `\n  MessageWaitingIndicator: { RefreshInterval: ${overrides.mwiRefresh} }` : ''}
  Rtp: { Address: 127.0.0.1, PortMin: ${overrides.rtpPortMin}, PortMax: ${overrides.rtpPortMin + 399}${overrides.mediaThreads === undefined ? '' : `, MediaThreads: ${overrides.mediaThreads}`} }
  MaxCallsAllowed: ${overrides.maxCalls ?? 100}${overrides.mainThreadPriority ? `\n  MainThreadPriority: ${overrides.mainThreadPriority}` : ''}
  TestExtension: "99999"
  ShutdownGracePeriod: 10
UMDialPlans:
  - Name: Redmond
    NumberOfDigitsInExtension: 5
    AccessTelephoneNumbers: ["+14255550100"]
    AudioCodec: ${overrides.audioCodec ?? 'G711'}
    RecordingIdleTimeout: 3
UMIPGateways:
  - { Name: Loopback, Address: 127.0.0.1, Transport: UDP, UMDialPlans: [Redmond], MessageWaitingIndicatorAllowed: false }${(overrides.mwiGateways ?? []).map((g, i) => `
  - { Name: Mwi${i + 1}, Address: 127.0.0.1, Port: ${g.port}, Transport: ${g.transport}, UMDialPlans: [Redmond] }`).join('')}
UMMailboxPolicies:
  - { Name: Default, UMDialPlan: Redmond }
  - { Name: Quiet, UMDialPlan: Redmond, AllowMissedCallNotifications: false, AllowMessageWaitingIndicator: false }
UMMailboxes:
  - { Alias: kim, DisplayName: Kim Akers, PrimarySmtpAddress: kim@contoso.com, UMMailboxPolicy: Default, Extensions: ["50101"], SIPResourceIdentifier: kim@contoso.com }
  - { Alias: erin, DisplayName: Erin Hagens, PrimarySmtpAddress: erin@contoso.com, UMMailboxPolicy: Default, Extensions: ["50107"], SIPResourceIdentifier: erin@contoso.com, AnonymousCallersCanLeaveMessages: false }
  - { Alias: full, DisplayName: Full Mailbox, PrimarySmtpAddress: full@contoso.com, UMMailboxPolicy: Default, Extensions: ["50108"], SIPResourceIdentifier: full@contoso.com, ProhibitSendReceiveQuota: 0 }
  - { Alias: lee, DisplayName: Lee Oliver, PrimarySmtpAddress: lee@contoso.com, UMMailboxPolicy: Default, Extensions: ["50109"], SIPResourceIdentifier: lee@contoso.com, MissedCallNotificationEnabled: false }
  - { Alias: pat, DisplayName: Pat Caller, PrimarySmtpAddress: pat@contoso.com, UMMailboxPolicy: Default, Extensions: ["50111"], SIPResourceIdentifier: pat@contoso.com, UMCallingLineIds: ["+12065550100"] }
  - { Alias: max, DisplayName: Max Quiet, PrimarySmtpAddress: max@contoso.com, UMMailboxPolicy: Quiet, Extensions: ["50110"], SIPResourceIdentifier: max@contoso.com }
`;
}

/** A running openum on ephemeral SIP/HTTP ports with the test application, and what it observed. */
export interface OpenumUnderTest {
  server: OpenumServer;
  node: RunningNode;
  /** The configuration file on disk (for CLI commands against the same data). */
  configFile: string;
  udpPort: number;
  /** Call-answering outcomes, in order. */
  outcomes: CallAnsweringOutcome[];
  /** Resolves with the next call-answering outcome. */
  nextOutcome(timeoutMs?: number): Promise<CallAnsweringOutcome>;
  tcpPort: number;
  /** The folder holding the configuration file and ./data. */
  directory: string;
  reports: TestCallReport[];
  /** Resolves with the next finished test call. */
  nextReport(timeoutMs?: number): Promise<TestCallReport>;
  stop(): Promise<void>;
}

/** Items observed in order, with a way to wait for the next one not yet taken. */
class Queue<T> {
  readonly items: T[] = [];
  private taken = 0;
  private readonly waiting: ((item: T) => void)[] = [];
  constructor(private readonly what: string) {}

  push(item: T): void {
    this.items.push(item);
    const waiter = this.waiting.shift();
    if (waiter) {
      this.taken++;
      waiter(item);
    }
  }

  next(timeoutMs = 15000): Promise<T> {
    if (this.taken < this.items.length) return Promise.resolve(this.items[this.taken++]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${this.what} call finished in time`)), timeoutMs).unref();
      this.waiting.push((item) => {
        clearTimeout(timer);
        resolve(item);
      });
    });
  }
}

/** RTP ports per jest worker, so parallel test files never collide. */
export function rtpPortBase(slot: number): number {
  const worker = Number(process.env['JEST_WORKER_ID'] ?? '1');
  return 30000 + ((worker * 4 + slot) % 40) * 400;
}

/** Starts openum from YAML text (relative paths resolve into a fresh temp folder). */
export async function startOpenum(yaml: string, options: Pick<NodeOptions, 'resolveGatewayAddress' | 'gatewayRefreshMs'> & { directory?: string } = {}): Promise<OpenumUnderTest> {
  const { directory, ...extra } = options;
  // A given folder is the caller's (a restart test reuses it); a fresh one is removed at stop().
  const dir = directory ?? mkdtempSync(join(tmpdir(), 'openum-serve-'));
  const configFile = join(dir, 'openum.yaml');
  writeFileSync(configFile, yaml);
  const loaded = loadConfigurationText(yaml, configFile, { checks: CONFIGURATION_CHECKS });
  if (!loaded.configuration) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const reports = new Queue<TestCallReport>('test');
  const outcomes = new Queue<CallAnsweringOutcome>('call answering');
  const node = await startNode(loaded.configuration, {
    logger: pino({ level: process.env['OPENUM_TEST_LOG'] ?? 'silent' }),
    listenOverride: { sip: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }, { protocol: 'tcp', host: '127.0.0.1', port: 0 }], http: { host: '127.0.0.1', port: 0 } },
    onTestCall: (report) => reports.push(report),
    onCallAnswering: (outcome) => outcomes.push(outcome),
    ...extra,
  });
  const server = node.server;
  const port = (protocol: string) => server.sipListeners.find((l) => l.protocol === protocol)!.port;
  return {
    server,
    node,
    configFile,
    directory: dir,
    outcomes: outcomes.items,
    nextOutcome: (timeoutMs) => outcomes.next(timeoutMs),
    udpPort: port('udp'),
    tcpPort: port('tcp'),
    reports: reports.items,
    nextReport: (timeoutMs) => reports.next(timeoutMs),
    stop: async () => {
      await node.close();
      if (directory === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
