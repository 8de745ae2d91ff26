/** A storage codec (dial plan `AudioCodec`, mailbox `CallAnsweringAudioCodec`; spec §3.3). */
export type StorageCodec = 'G711' | 'Gsm' | 'Wma' | 'Mp3';

/** Where a message is in its life: `deleted` rows wait for a purge that removes their files. */
export type MessageState = 'new' | 'read' | 'deleted';

/** Every message state, in the order the store documents them. */
export const MESSAGE_STATES: readonly MessageState[] = ['new', 'read', 'deleted'];

/** What the store is told when a message is delivered. */
export interface NewMessage {
  /** UUID, chosen when the recording began (it names the spool and message files). */
  id: string;
  /** The mailbox `Alias` as configured (the store compares it exactly). */
  mailbox: string;
  /** E.164 number or SIP URI of the caller; null for an anonymous caller. */
  caller: string | null;
  /** The resolved caller name (spec §5), if any. */
  callerName: string | null;
  /** When the call was answered. */
  receivedAt: Date;
  /** Audio length after trimming, ms. */
  durationMs: number;
  /** The codec the audio file is stored in. */
  codec: StorageCodec;
  /** Audio file, relative to `Server.DataDirectory` (always `/`-separated). */
  audioPath: string;
  /** Bytes of the audio file (counts toward the quota). */
  sizeBytes: number;
  /** Marked urgent by the caller. */
  urgent: boolean;
  /** Rebuilt at start-up from a recording a crash cut off. */
  recovered: boolean;
  /** SIP Call-ID of the call that left it, for support. */
  callId: string | null;
}

/** A message as the store holds it. */
export interface StoredMessage extends NewMessage {
  /** Read, unread or soft-deleted. */
  state: MessageState;
  /** When the row was inserted. */
  createdAt: Date;
  /** When the row last changed. */
  updatedAt: Date;
}

/** Message-waiting counts of one mailbox (RFC 3842 `Voice-Message: new/old (urgent new/urgent old)`). */
export interface MessageCounts {
  /** Unread messages. */
  newMessages: number;
  /** Read messages not deleted. */
  oldMessages: number;
  /** Unread urgent messages. */
  urgentNew: number;
  /** Read urgent messages not deleted. */
  urgentOld: number;
}

/** What a greeting recording is: the personal greeting, the out-of-office greeting, the recorded name. */
export type GreetingKind = 'personal' | 'oof' | 'name';

/** A greeting or recorded name of a mailbox (one per kind). */
export interface Greeting {
  /** The mailbox `Alias`. */
  mailbox: string;
  /** Which greeting. */
  kind: GreetingKind;
  /** Audio file, relative to `Server.DataDirectory`. */
  audioPath: string;
  /** Length, ms. */
  durationMs: number;
  /** Bytes of the file (counts toward the quota). */
  sizeBytes: number;
  /** When it was recorded. */
  updatedAt: Date;
}

/** Options of `MessageStore.listMessages`. */
export interface ListMessagesOptions {
  /** Only messages in this state; default: every state but `deleted`. */
  state?: MessageState | 'all';
  /** At most this many (newest first). */
  limit?: number;
}
