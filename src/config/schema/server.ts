import { z } from 'zod';
import { exchangeEnum, integer } from './common.js';

/** `udp:127.0.0.1:5060`, `tcp:[::1]:5060`, `tls:0.0.0.0:5061`. */
const sipListen = z.string().regex(/^(udp|tcp|tls):(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/i, {
  message: 'protocol:address:port such as udp:127.0.0.1:5060',
});
const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, { message: 'address:port such as 127.0.0.1:8080' });

const sipSchema = z.strictObject({
  Listen: z.array(sipListen).min(1).default(['udp:127.0.0.1:5060', 'tcp:127.0.0.1:5060']),
  TlsCertificate: z.string().optional(),
  TlsKey: z.string().optional(),
});

const rtpSchema = z.strictObject({
  Address: z.string().min(1).default('127.0.0.1'),
  PortMin: z.number().int().min(1024).max(65534).default(20000),
  PortMax: z.number().int().min(1025).max(65535).default(29999),
  /** Worker threads running calls' RTP and players; absent: one per CPU (at most 4); 0: in the signalling thread. */
  MediaThreads: integer(0, 64).optional(),
  /** Scheduling of media threads: Realtime (SCHED_RR), High (nice −10) or Normal; falls back when not permitted. */
  MediaThreadPriority: exchangeEnum(['Realtime', 'High', 'Normal']).default('Realtime'),
});

const httpSchema = z.strictObject({
  Listen: hostPort.default('127.0.0.1:8080'),
  TlsCertificate: z.string().optional(),
  TlsKey: z.string().optional(),
  /** The URL clients reach openum at (Autodiscover's EwsUrl); default: built from Listen and TLS. */
  PublicUrl: z.string().regex(/^https?:\/\/[^\s/]+$/, { message: 'scheme://host[:port] without a path' }).optional(),
  /** Serve EWS and the API over plain HTTP on a non-loopback address (credentials then cross the network in clear). */
  AllowPlainHttp: z.boolean().default(false),
});

const playOnPhoneSchema = z.strictObject({
  /** Seconds a Play on Phone call rings at one gateway before it is given up (NoAnswer). */
  NoAnswerTimeout: integer(5, 300).default(30),
  /** Seconds a finished Play on Phone call stays readable through GetPhoneCallInformation. */
  CallInformationRetention: integer(10, 86400).default(600),
});

const storageSchema = z.strictObject({
  Kind: exchangeEnum(['sqlite', 'postgres']).default('sqlite'),
  Url: z.string().regex(/^postgres(ql)?:\/\//, { message: 'a postgres:// URL' }).optional(),
});

const mailSchema = z.strictObject({
  Kind: exchangeEnum(['maildir', 'smtp']).default('maildir'),
  Directory: z.string().optional(),
  From: z.string().default('Microsoft Exchange Unified Messaging <um@contoso.com>'),
  Host: z.string().optional(),
  Port: z.number().int().min(1).max(65535).default(587),
  Secure: exchangeEnum(['none', 'starttls', 'tls']).default('starttls'),
  User: z.string().optional(),
  Password: z.string().optional(),
  /** Seconds before the first retry of a notification that could not be delivered; doubles per attempt. */
  RetryInterval: integer(1, 86400).default(30),
  /** The longest wait between two retries, seconds. */
  MaxRetryInterval: integer(1, 86400).default(900),
  /** Seconds after which an undeliverable notification is given up (Exchange's MessageExpirationTimeout: 2 days). */
  MessageExpirationTimeout: integer(60, 2592000).default(172800),
});

const mwiSchema = z.strictObject({
  /** Seconds between two unsolicited NOTIFYs of the same mailbox's counts (spec §9: at least every 12 hours). */
  RefreshInterval: integer(60, 604800).default(43200),
});

/** Server — openum's own settings (spec §0.6); every key optional. Paths are relative to the file. */
export const serverSchema = z.strictObject({
  Domain: z.string().min(1).default('contoso.com'),
  Sip: sipSchema.default(sipSchema.parse({})),
  Rtp: rtpSchema.default(rtpSchema.parse({})),
  Http: httpSchema.default(httpSchema.parse({})),
  DataDirectory: z.string().min(1).default('./data'),
  Storage: storageSchema.default(storageSchema.parse({})),
  Mail: mailSchema.default(mailSchema.parse({})),
  MessageWaitingIndicator: mwiSchema.default(mwiSchema.parse({})),
  PlayOnPhone: playOnPhoneSchema.default(playOnPhoneSchema.parse({})),
  MaxCallsAllowed: integer(1, 100000).default(1000),
  /** Scheduling of the thread that runs SIP, HTTP and the store: High (nice −10) or Normal; falls back when not permitted. */
  MainThreadPriority: exchangeEnum(['High', 'Normal']).default('High'),
  /** Seconds a SIGTERM waits for active calls to end before the process exits anyway. */
  ShutdownGracePeriod: integer(0, 3600).default(30),
  /** Seconds without RTP from the peer after which a call is hung up as dead. */
  RtpInactivityTimeout: integer(5, 3600).default(60),
  /**
   * A number (Request-URI user) answered by the built-in test application: it plays a tone, echoes
   * DTMF digits back, and records what it hears under DataDirectory/test-calls. Unset: disabled.
   */
  TestExtension: z.string().regex(/^\+?\d{1,20}$/, { message: 'digits' }).optional(),
  LogLevel: exchangeEnum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Validated server settings, paths still as written. */
export type ServerSettings = z.output<typeof serverSchema>;
