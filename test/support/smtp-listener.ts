// A real SMTP listener (smtp-server) on 127.0.0.1 for tests: no auth, no STARTTLS, records what it
// receives. Port 0 = ephemeral; a fixed port lets a test stop the server and bring it back.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** One message as the server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  data: Buffer;
}

/** A listening SMTP server and what it received. */
export interface SmtpListener {
  server: SMTPServer;
  port: number;
  received: ReceivedMail[];
  stop(): Promise<void>;
}

/** Starts a listener on 127.0.0.1:`port`. */
export async function startSmtpListener(overrides: Partial<SMTPServerOptions> = {}, port = 0): Promise<SmtpListener> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks),
        });
        callback();
      });
    },
    ...overrides,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.server.address() as AddressInfo).port;
  return { server, port: bound, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
