// Messages between the signalling thread and a media thread. Plain data only: they cross
// `postMessage`, so every field must survive the structured clone.
import type { ClockReport } from './media-clock.js';
import type { DtmfDigitEvent } from './dtmf-detector.js';
import type { NegotiatedMedia } from './offer-answer.js';
import type { PlayItem, PlayResult } from './player.js';
import type { RtpSessionStats } from './rtp-session-types.js';
import type { ThreadPriority, PriorityOutcome } from './thread-priority.js';

/** What a media thread is started with (`workerData`). */
export interface MediaThreadData {
  priority: ThreadPriority;
  /** Nice value at `Normal` (the process's own, when the creating thread was raised); absent: as inherited. */
  normalNice?: number;
  /** This thread's number and how many there are: its clock's ticks fall `index/of` of a period after thread 0's. */
  index: number;
  of: number;
}

/** What the signalling thread asks of a media thread (sent in arrays, one per event-loop turn); `id` names a call's media. */
export type MediaCommand =
  | { t: 'open'; id: number; port: number; bindAddress: string; inactivityTimeoutMs: number }
  | { t: 'start'; id: number; media: NegotiatedMedia }
  | { t: 'update'; id: number; media: NegotiatedMedia }
  | { t: 'play'; id: number; playId: number; items: PlayItem[]; bargeIn: boolean }
  | { t: 'stop'; id: number; playId: number }
  | { t: 'digit'; id: number; digit: string; durationMs: number | undefined }
  | { t: 'receive'; id: number; on: boolean }
  | { t: 'close'; id: number };

/** What a media thread reports. */
export type MediaReport =
  | { t: 'ready'; priority: PriorityOutcome }
  | { t: 'opened'; id: number }
  | { t: 'open-failed'; id: number; code: string | undefined; message: string }
  | { t: 'latched'; id: number; remote: { address: string; port: number } }
  | { t: 'timeout'; id: number }
  | { t: 'dtmf'; id: number; digit: DtmfDigitEvent }
  | { t: 'played'; id: number; playId: number; result: PlayResult }
  | { t: 'play-failed'; id: number; playId: number; message: string }
  | AudioBatch
  | { t: 'stats'; sessions: [id: number, stats: RtpSessionStats][]; clock: ClockReport }
  | { t: 'closed'; id: number; stats: RtpSessionStats }
  | { t: 'error'; id: number | undefined; message: string };

/**
 * The frames received in one tick by every call that asked for audio, in one message: frame k is
 * `samples[ends[k−1] .. ends[k])` (from 0 for k = 0) of call `ids[k]` — 160 samples for 20 ms packets,
 * other lengths for other packet times. Its buffers are transferred, not copied.
 */
export interface AudioBatch {
  t: 'audio';
  ids: Int32Array;
  concealed: Uint8Array;
  ends: Int32Array;
  samples: Int16Array;
}
