import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { OpenumServer } from '../../src/app/index.js';
import { CONFIGURATION_CHECKS } from '../../src/app/index.js';
import { createTestApplication } from '../../src/calls/index.js';
import type { TestCallReport } from '../../src/calls/index.js';
import { formatDiagnostic, loadConfigurationText } from '../../src/config/index.js';

/** A site for signalling tests: one gateway at 127.0.0.1, one dial plan, two users, a test extension. */
export function testSiteYaml(overrides: { maxCalls?: number; rtpPortMin: number } ): string {
  return `
Server:
  DataDirectory: ./data
  Rtp: { Address: 127.0.0.1, PortMin: ${overrides.rtpPortMin}, PortMax: ${overrides.rtpPortMin + 399} }
  MaxCallsAllowed: ${overrides.maxCalls ?? 100}
  TestExtension: "99999"
  ShutdownGracePeriod: 10
UMDialPlans:
  - Name: Redmond
    NumberOfDigitsInExtension: 5
    AccessTelephoneNumbers: ["+14255550100"]
UMIPGateways:
  - { Name: Loopback, Address: 127.0.0.1, Transport: UDP, UMDialPlans: [Redmond] }
UMMailboxPolicies:
  - { Name: Default, UMDialPlan: Redmond }
UMMailboxes:
  - { Alias: kim, DisplayName: Kim Akers, PrimarySmtpAddress: kim@contoso.com, UMMailboxPolicy: Default, Extensions: ["50101"], SIPResourceIdentifier: kim@contoso.com }
`;
}

/** A running openum on ephemeral SIP/HTTP ports with the test application, and what it observed. */
export interface OpenumUnderTest {
  server: OpenumServer;
  udpPort: number;
  tcpPort: number;
  reports: TestCallReport[];
  /** Resolves with the next finished test call. */
  nextReport(timeoutMs?: number): Promise<TestCallReport>;
  stop(): Promise<void>;
}

/** RTP ports per jest worker, so parallel test files never collide. */
export function rtpPortBase(slot: number): number {
  const worker = Number(process.env['JEST_WORKER_ID'] ?? '1');
  return 30000 + ((worker * 4 + slot) % 40) * 400;
}

/** Starts openum from YAML text (relative paths resolve into a fresh temp folder). */
export async function startOpenum(yaml: string): Promise<OpenumUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'openum-serve-'));
  const loaded = loadConfigurationText(yaml, join(dir, 'openum.yaml'), { checks: CONFIGURATION_CHECKS });
  if (!loaded.configuration) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const reports: TestCallReport[] = [];
  const waiting: ((r: TestCallReport) => void)[] = [];
  let consumed = 0;
  const test = createTestApplication({
    recordingsDirectory: join(loaded.configuration.Server.DataDirectory, 'test-calls'),
    onFinished: (report) => {
      reports.push(report);
      const waiter = waiting.shift();
      if (waiter) {
        consumed++;
        waiter(report);
      }
    },
  });
  const server = await OpenumServer.start(loaded.configuration, {
    logger: pino({ level: process.env['OPENUM_TEST_LOG'] ?? 'silent' }),
    applications: { test },
    listenOverride: { sip: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }, { protocol: 'tcp', host: '127.0.0.1', port: 0 }], http: { host: '127.0.0.1', port: 0 } },
  });
  const port = (protocol: string) => server.sipListeners.find((l) => l.protocol === protocol)!.port;
  return {
    server,
    udpPort: port('udp'),
    tcpPort: port('tcp'),
    reports,
    nextReport: (timeoutMs = 15000) =>
      new Promise((resolve, reject) => {
        if (consumed < reports.length) return resolve(reports[consumed++]!);
        const timer = setTimeout(() => reject(new Error('no test call finished in time')), timeoutMs).unref();
        waiting.push((r) => {
          clearTimeout(timer);
          resolve(r);
        });
      }),
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
