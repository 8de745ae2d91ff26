import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageSidecar } from '../../../src/mailbox/message-sidecar.js';
import { readSidecar, writeSidecar } from '../../../src/mailbox/message-sidecar.js';

describe('message sidecar', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openum-sidecar-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sidecar: MessageSidecar = { version: 1, id: 'x', mailbox: 'kim', caller: null, callerName: null, callId: 'c', receivedAt: '2024-01-01T00:00:00.000Z', codec: 'Gsm' };

  test('round-trips, replaces atomically (no temporary file left)', async () => {
    const path = join(dir, 'x.json');
    await writeSidecar(path, sidecar);
    await writeSidecar(path, { ...sidecar, recovered: true });
    expect(await readSidecar(path)).toEqual({ ...sidecar, recovered: true });
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  test('absent → undefined; not JSON or not a sidecar → typed error', async () => {
    expect(await readSidecar(join(dir, 'none.json'))).toBeUndefined();
    writeFileSync(join(dir, 'bad.json'), '{');
    await expect(readSidecar(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_FILE_IO' });
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ ...sidecar, codec: 'Opus' }));
    await expect(readSidecar(join(dir, 'other.json'))).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_FILE_IO' });
  });
});
