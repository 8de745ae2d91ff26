// Shared set-up of the mailbox integration tests: a small configuration, media's recording files, a
// test signal and an ffprobe helper.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { OpenumConfiguration } from '../../../src/config/index.js';
import { loadConfigurationText } from '../../../src/config/index.js';
import type { MessageRecordingFiles } from '../../../src/mailbox/index.js';
import { RecordingFile, recoverPartialRecordings } from '../../../src/media/index.js';

const run = promisify(execFile);

/** One mailbox per storage codec, plus a small-quota one; every mailbox in dial plan Lab. */
export function labConfigurationText(dataDirectory: string, dialPlanCodec = 'Mp3'): string {
  const mailbox = (alias: string, extension: string, extra: string) =>
    `  - { Alias: ${alias}, DisplayName: ${alias}, PrimarySmtpAddress: ${alias}@contoso.com, UMMailboxPolicy: Lab Policy, Extensions: ["${extension}"]${extra} }\n`;
  return (
    `Server:\n  DataDirectory: ${JSON.stringify(dataDirectory)}\n` +
    `UMDialPlans:\n  - { Name: Lab, NumberOfDigitsInExtension: 4, AudioCodec: ${dialPlanCodec} }\n` +
    'UMMailboxPolicies:\n  - { Name: Lab Policy, UMDialPlan: Lab }\n' +
    'UMMailboxes:\n' +
    mailbox('pcm', '1001', ', CallAnsweringAudioCodec: G711') +
    mailbox('gsm', '1002', ', CallAnsweringAudioCodec: Gsm') +
    mailbox('mp3', '1003', ', CallAnsweringAudioCodec: Mp3') +
    mailbox('wma', '1004', ', CallAnsweringAudioCodec: Wma') +
    mailbox('small', '1005', ', CallAnsweringAudioCodec: G711, ProhibitSendReceiveQuota: 100KB') +
    mailbox('plain', '1006', '')
  );
}

/** The lab configuration, validated. */
export function labConfiguration(dataDirectory: string, dialPlanCodec = 'Mp3'): OpenumConfiguration {
  const result = loadConfigurationText(labConfigurationText(dataDirectory, dialPlanCodec), '/lab/openum.yaml');
  if (!result.configuration) throw new Error(`lab configuration invalid: ${JSON.stringify(result.diagnostics)}`);
  return result.configuration;
}

/** media/'s recording files as the mailbox layer's port (what the application wiring passes). */
export const mediaRecordings: MessageRecordingFiles = {
  create: (path) => RecordingFile.create(path),
  recoverPartial: (dir) => recoverPartialRecordings(dir),
};

/** `ms` of a 440 Hz tone at 8 kHz, loud enough to be voice to the silence detector. */
export function tone(ms: number): Int16Array {
  const samples = Math.round((ms * 8000) / 1000);
  return Int16Array.from({ length: samples }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
}

/** What ffprobe says of a file's first stream, and its duration measured by decoding it. */
export async function probe(path: string): Promise<{ codec: string; sampleRate: number; channels: number; format: string; decodedMs: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate,channels:format=format_name', '-of', 'json', path]);
  const info = JSON.parse(stdout) as { streams: { codec_name: string; sample_rate: string; channels: number }[]; format: { format_name: string } };
  const stream = info.streams[0]!;
  // The container duration of MP3 counts the encoder's padding (~150 ms at 8 kHz); decoded samples do not.
  const decoded = await decode(path);
  return { codec: stream.codec_name, sampleRate: Number(stream.sample_rate), channels: stream.channels, format: info.format.format_name, decodedMs: (decoded.length / 8000) * 1000 };
}

/** A stored file decoded to 8 kHz mono samples by ffmpeg. */
export async function decode(path: string): Promise<Int16Array> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', path, '-f', 's16le', '-ac', '1', '-ar', '8000', '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return new Int16Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.length - (stdout.length % 2)));
}
