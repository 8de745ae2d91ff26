import { randomBytes } from 'node:crypto';
import { copyFile, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MailboxFileError } from './errors.js';

/** Suffix of a file being written before its atomic rename; recovery deletes leftovers. */
export const TEMPORARY_SUFFIX = '.tmp';

/** fsyncs a file's contents. */
export async function syncFile(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r+');
    await handle.sync();
  } catch (error) {
    throw new MailboxFileError(path, 'fsync', error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Makes renames and unlinks in `dir` durable (POSIX: directory entries are the directory's data). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    // Windows cannot open a directory; its renames are durable by other means.
    if (isErrorCode(error, 'EISDIR') || isErrorCode(error, 'EPERM')) return;
    throw new MailboxFileError(dir, 'open directory', error);
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!isErrorCode(error, 'EINVAL') && !isErrorCode(error, 'EPERM')) throw new MailboxFileError(dir, 'fsync directory', error);
  } finally {
    await handle.close();
  }
}

/** A fresh temporary name beside `path` (`<name>.<random>.tmp`), so two writers never share one. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `${basename(path)}.${randomBytes(4).toString('hex')}${TEMPORARY_SUFFIX}`);
}

/** Moves a complete, fsynced `temporary` file to `path` atomically and makes the rename durable. */
export async function commitFile(temporary: string, path: string): Promise<void> {
  await syncFile(temporary);
  try {
    await rename(temporary, path);
  } catch (error) {
    throw new MailboxFileError(path, 'rename into place', error);
  }
  await syncDirectory(dirname(path));
}

/** Writes `data` to `path` so that a crash leaves the old content or the new, never a torn file. */
export async function writeFileDurably(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryPathFor(path);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx');
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw new MailboxFileError(temporary, 'write', error);
  }
  await handle.close();
  await commitFile(temporary, path);
}

/** Copies `source` to `path` durably (temporary copy, fsync, atomic rename). */
export async function copyFileDurably(source: string, path: string): Promise<void> {
  const temporary = temporaryPathFor(path);
  try {
    await copyFile(source, temporary);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new MailboxFileError(source, 'copy', error);
  }
  await commitFile(temporary, path);
}

/** Deletes a file; one already gone is fine. */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return false;
    throw new MailboxFileError(path, 'delete', error);
  }
}

/** Whether `error` is a Node system error with this code. */
export function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
