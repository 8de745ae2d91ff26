import type { StorageCodec } from './message-types.js';

/** How one storage codec is written (spec §3.3). */
export interface StorageFormat {
  /** The codec. */
  codec: StorageCodec;
  /** File extension, without the dot. */
  extension: 'wav' | 'wma' | 'mp3';
  /** The ffmpeg encoder it needs; undefined when the lossless master is stored as it is. */
  encoder: string | undefined;
  /** ffmpeg output options (after `-i <master>`). */
  ffmpegOutput: readonly string[];
  /** MIME type, for e-mail attachments and HTTP downloads. */
  mimeType: string;
}

/**
 * The formats. G711 keeps the 8 kHz 16-bit PCM master (spec: "16-bit linear PCM"). Gsm is GSM 06.10
 * in WAV, Microsoft's framing (WAVE_FORMAT_GSM610, 65-byte blocks), which Windows Media Player and
 * Outlook play. Mp3 at 16 kbit/s mono 8 kHz (MPEG-2.5) matches Exchange's ~19.5 KB per 10 s. Wma: the
 * only WMA encoder ffmpeg has is WMA v2, whose floor at 8 kHz mono is 24 kbit/s (~30 KB per 10 s, not
 * Exchange's 11 KB from its WMA 9 Voice encoder, which ffmpeg cannot write); its length is rounded up to
 * 512 samples (under 64 ms of silence at the end).
 */
export const STORAGE_FORMATS: Readonly<Record<StorageCodec, StorageFormat>> = {
  G711: { codec: 'G711', extension: 'wav', encoder: undefined, ffmpegOutput: [], mimeType: 'audio/wav' },
  Gsm: {
    codec: 'Gsm',
    extension: 'wav',
    encoder: 'libgsm_ms',
    ffmpegOutput: ['-ac', '1', '-ar', '8000', '-c:a', 'libgsm_ms', '-f', 'wav'],
    mimeType: 'audio/wav',
  },
  Mp3: {
    codec: 'Mp3',
    extension: 'mp3',
    encoder: 'libmp3lame',
    ffmpegOutput: ['-ac', '1', '-ar', '8000', '-c:a', 'libmp3lame', '-b:a', '16k', '-f', 'mp3'],
    mimeType: 'audio/mpeg',
  },
  Wma: {
    codec: 'Wma',
    extension: 'wma',
    encoder: 'wmav2',
    // ffmpeg's WMA v2 output decodes without its first 512 samples (64 ms at 8 kHz): 512 samples of
    // silence in front keep the caller's first word.
    ffmpegOutput: ['-ac', '1', '-ar', '8000', '-af', 'adelay=delays=512S:all=1', '-c:a', 'wmav2', '-b:a', '24k', '-f', 'asf'],
    mimeType: 'audio/x-ms-wma',
  },
};

/** The storage codecs a configuration can use: every dial plan's AudioCodec and mailbox override. */
export function storageCodecsInUse(configuration: {
  readonly UMDialPlans: readonly { readonly AudioCodec: StorageCodec }[];
  readonly UMMailboxes: readonly { readonly CallAnsweringAudioCodec?: StorageCodec | undefined }[];
}): StorageCodec[] {
  const codecs = new Set<StorageCodec>();
  for (const plan of configuration.UMDialPlans) codecs.add(plan.AudioCodec);
  for (const mailbox of configuration.UMMailboxes) if (mailbox.CallAnsweringAudioCodec) codecs.add(mailbox.CallAnsweringAudioCodec);
  return [...codecs].sort();
}
