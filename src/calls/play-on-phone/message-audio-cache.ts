import type { StoredMessage } from '../../mailbox/index.js';

/**
 * Decoded message audio by message id, least recently used out first, bounded in samples: a message is
 * often played more than once (a retry, another phone), and reading and decoding it (ffmpeg for Mp3,
 * Gsm, Wma) costs more than the call set-up. Stored audio never changes under an id.
 */
export class MessageAudioCache {
  private readonly entries = new Map<string, Promise<Int16Array>>();
  private readonly sizes = new Map<string, number>();
  private samples = 0;

  /** `maxSamples`: 8 kHz samples kept in all (default 16 M = 32 MiB, about 33 minutes of audio). */
  constructor(private readonly maxSamples = 16 * 1024 * 1024) {}

  /** The audio of `message`, from the cache or from `load` (a failed load is not kept). */
  get(message: Pick<StoredMessage, 'id'>, load: () => Promise<Int16Array>): Promise<Int16Array> {
    const cached = this.entries.get(message.id);
    if (cached) {
      this.entries.delete(message.id);
      this.entries.set(message.id, cached);
      return cached;
    }
    const loading = load();
    this.entries.set(message.id, loading);
    loading.then(
      (audio) => {
        if (this.entries.get(message.id) !== loading) return;
        if (audio.length > this.maxSamples) {
          this.entries.delete(message.id);
          return;
        }
        this.sizes.set(message.id, audio.length);
        this.samples += audio.length;
        this.evict(message.id);
      },
      () => {
        if (this.entries.get(message.id) === loading) this.entries.delete(message.id);
      },
    );
    return loading;
  }

  /** Samples held now. */
  get size(): number {
    return this.samples;
  }

  private evict(keep: string): void {
    for (const id of this.entries.keys()) {
      if (this.samples <= this.maxSamples) return;
      if (id === keep || !this.sizes.has(id)) continue;
      this.samples -= this.sizes.get(id)!;
      this.sizes.delete(id);
      this.entries.delete(id);
    }
  }
}
