// Public API of media/: RTP sessions, SDP offer/answer, codecs, DTMF, jitter buffer, clock, silence,
// WAV files, tones, player, recorder and recording files.
export {
  SdpInvalidError,
  NoCommonCodecError,
  PacketParseError,
  PortsExhaustedError,
  MediaArgumentError,
  MediaStateError,
  MediaSocketError,
  MediaThreadError,
  WavFormatError,
  MediaFileError,
  RecordingRecoveryError,
} from './errors.js';
export { parseSdp, sdpToWire, type MediaDirection, type SdpFormat, type SdpMedia, type SdpSession } from './sdp-wire.js';
export {
  answerOffer,
  createOffer,
  readAnswer,
  describeMediaChange,
  type LocalMediaOptions,
  type NegotiatedMedia,
  type MediaChange,
} from './offer-answer.js';
export {
  parseRtpPacket,
  serializeRtpPacket,
  serializeRtpPacketTo,
  rtpPacketByteLength,
  isRtpPacket,
  RTP_HEADER_LENGTH,
  RTP_VERSION,
  type RtpPacket,
  type RtpHeaderExtension,
} from './rtp-packet.js';
export {
  parseRtcpCompound,
  serializeRtcpCompound,
  isRtcpPacket,
  RtcpPacketType,
  type RtcpPacket,
  type RtcpSenderReport,
  type RtcpReceiverReport,
  type RtcpSourceDescription,
  type RtcpBye,
  type RtcpUnknown,
  type RtcpReportBlock,
} from './rtcp-packet.js';
export { Unwrapper, sequenceDelta, timestampDelta } from './unwrapper.js';
export {
  parseTelephoneEvent,
  serializeTelephoneEvent,
  eventToDigit,
  digitToEvent,
  DTMF_DIGITS,
  TELEPHONE_EVENT_LENGTH,
  type TelephoneEvent,
  type DtmfDigit,
} from './telephone-event.js';
export { DtmfDetector, type DtmfDigitEvent, type DtmfDetectorStats, type DtmfInputPacket } from './dtmf-detector.js';
export {
  encodeG711,
  decodeG711,
  encodeFrame,
  codecForPayloadType,
  silentFrame,
  G711_PAYLOAD_TYPES,
  G711_SAMPLE_RATE,
  SAMPLES_PER_FRAME,
  FRAME_MS,
  type G711CodecName,
} from './g711.js';
export {
  JitterBuffer,
  type JitterBufferOptions,
  type JitterBufferStats,
  type JitterFrame,
  type JitterPacket,
} from './jitter-buffer.js';
export {
  MediaClock,
  systemMediaClockTimer,
  type MediaClockOptions,
  type MediaClockStats,
  type MediaClockTimer,
  type MediaTick,
  type MediaTickListener,
} from './media-clock.js';
export {
  SilenceDetector,
  frameLevelDbfs,
  type SilenceDetectorOptions,
  type SilenceReport,
  type SilenceDetectorStats,
} from './silence-detector.js';
export { ReceptionStats } from './reception-stats.js';
export { PortPool, type PortPoolOptions, type PortSource } from './port-pool.js';
export { CallMedia, type CallMediaEvents, type MediaEngine, type OpenCallMediaOptions } from './call-media.js';
export { LocalCallMedia, LocalMediaEngine, type LocalMediaEngineOptions } from './local-call-media.js';
export { WorkerMediaEngine, type WorkerMediaEngineOptions } from './worker-media-engine.js';
export type { ThreadPriority, PriorityOutcome } from './thread-priority.js';
export { raiseThisThread, restoreThisThreadNice, thisThreadNice } from './thread-priority.js';
export { RtpSession } from './rtp-session.js';
export type {
  AudioSource,
  RtpSessionOptions,
  RtpSessionEvents,
  RtpSessionStats,
  ReceivedFrameInfo,
} from './rtp-session-types.js';
export {
  readWavFile,
  writeWavFile,
  repairWavFile,
  parseWav,
  locateWavData,
  wavHeader,
  pcmToBytes,
  bytesToPcm,
  WAV_HEADER_LENGTH,
  type WavDataLocation,
} from './wav-file.js';
export { toneSamples, silenceSamples, BEEP, type ToneOptions } from './tone.js';
export { WavCache, type WavCacheOptions, type WavCacheStats } from './wav-cache.js';
export {
  Player,
  PlayerState,
  type PlayItem,
  type PlayOptions,
  type PlayResult,
  type PlayerOptions,
  type PlayerStats,
} from './player.js';
export {
  Recorder,
  RecorderState,
  type RecordingSink,
  type RecordingEndReason,
  type RecordingResult,
  type RecorderOptions,
  type RecorderStats,
} from './recorder.js';
export {
  RecordingFile,
  recoverPartialRecordings,
  PARTIAL_SUFFIX,
  type RecordingFileOptions,
  type RecordingFileStats,
  type RecoveredRecording,
} from './recording-file.js';
export { SYSTEM_PROMPT_IDS, DIGIT_PROMPTS, isSystemPromptId, type SystemPromptId } from './system-prompts.js';
export {
  PromptMissingError,
  PromptManifestError,
  FfmpegMissingError,
  AudioDecodeError,
  type PromptProblem,
} from './prompt-errors.js';
export {
  readPromptManifest,
  parsePromptManifest,
  PROMPT_ID_PATTERN,
  type PromptManifest,
  type PromptManifestEntry,
} from './prompt-manifest.js';
export {
  customPromptPath,
  customPromptFileName,
  CUSTOM_PROMPT_FOLDERS,
  type CustomPromptTarget,
} from './custom-prompt-path.js';
export { PromptLibrary, PROMPT_MANIFEST_FILE, type PromptLibraryOptions } from './prompt-library.js';
export { importAudioFile, type ImportAudioOptions, type ImportedAudio } from './audio-import.js';
