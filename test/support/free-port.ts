// Ports on 127.0.0.1 for peers a test starts later (SIPp, SMTP): bound once to learn a free number,
// then released. A race with another process is possible but unlikely on a test machine.
import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo } from 'node:net';

/** A TCP port nothing listens on. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A UDP port free at the time of the call. */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
