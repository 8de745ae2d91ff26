import { join } from 'node:path';
import { MailboxPaths, mailboxFolderName } from '../../../src/mailbox/mailbox-paths.js';

describe('mailbox paths', () => {
  test('an alias becomes one safe folder name', () => {
    expect(mailboxFolderName('kim')).toBe('kim');
    expect(mailboxFolderName('a/b')).toBe('a%2Fb');
    expect(mailboxFolderName('..')).toBe('%2E%2E');
    expect(mailboxFolderName('.')).toBe('%2E');
    expect(mailboxFolderName('kim.m')).toBe('kim.m');
  });

  test('spool, master, sidecar and message paths under the data directory', () => {
    const paths = new MailboxPaths('/data');
    const id = '11111111-1111-4111-8111-111111111111';
    expect(paths.masterPath('kim', id)).toBe(join('/data', 'spool', 'kim', `${id}.wav`));
    expect(paths.sidecarPath('kim', id)).toBe(join('/data', 'spool', 'kim', `${id}.json`));
    expect(paths.messageAudioPath('a/b', id, 'mp3')).toBe(`messages/a%2Fb/${id}.mp3`);
    expect(paths.resolve(`messages/kim/${id}.mp3`)).toBe(join('/data', 'messages', 'kim', `${id}.mp3`));
  });

  test('a stored relative path cannot climb out of the data directory', () => {
    expect(new MailboxPaths('/data').resolve('../../etc/passwd')).toBe(join('/data', 'etc', 'passwd'));
  });
});
