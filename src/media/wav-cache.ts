import { readWavFile } from './wav-file.js';

/** Options of a {@link WavCache}. */
export interface WavCacheOptions {
  /** Samples kept in memory over all files (2 bytes each); least recently used go first. Default 8 Mi (16 MiB, about 17 min of audio). */
  maxSamples?: number;
  /** How a file becomes samples. Default {@link readWavFile}. */
  load?: (path: string) => Promise<Int16Array>;
}

/** Counters of a {@link WavCache}. */
export interface WavCacheStats {
  /** Lookups answered from memory (including loads already under way). */
  hits: number;
  /** Lookups that read the file. */
  misses: number;
  /** Files held. */
  entries: number;
  /** Samples held by loaded files. */
  samples: number;
}

interface Entry {
  promise: Promise<Int16Array>;
  /** Known once loaded; loads under way weigh nothing and are never evicted. */
  samples: number;
}

/**
 * Prompts decoded once and shared by every call that plays them, keyed by path. Concurrent requests
 * for one path share a single read; a failed read is forgotten so the next request tries again.
 * Callers must not modify the arrays they get.
 */
export class WavCache {
  private readonly maxSamples: number;
  private readonly load: (path: string) => Promise<Int16Array>;
  private readonly entries = new Map<string, Entry>();
  private heldSamples = 0;
  private hits = 0;
  private misses = 0;

  constructor(options: WavCacheOptions = {}) {
    this.maxSamples = options.maxSamples ?? 8 * 1024 * 1024;
    this.load = options.load ?? readWavFile;
  }

  /** The samples of the file at `path`, read on first use. */
  get(path: string): Promise<Int16Array> {
    const cached = this.entries.get(path);
    if (cached) {
      this.hits++;
      // Map order is recency order: move the entry to the end.
      this.entries.delete(path);
      this.entries.set(path, cached);
      return cached.promise;
    }
    this.misses++;
    const entry: Entry = { promise: this.load(path), samples: 0 };
    this.entries.set(path, entry);
    entry.promise.then(
      (samples) => {
        if (this.entries.get(path) !== entry) return;
        entry.samples = samples.length;
        this.heldSamples += samples.length;
        this.evict();
      },
      () => {
        if (this.entries.get(path) === entry) this.entries.delete(path);
      },
    );
    return entry.promise;
  }

  /** Forgets one file (e.g. after a greeting was re-recorded). */
  delete(path: string): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    this.entries.delete(path);
    this.heldSamples -= entry.samples;
  }

  /** Forgets every file. */
  clear(): void {
    this.entries.clear();
    this.heldSamples = 0;
  }

  /** A copy of the counters. */
  get stats(): WavCacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.entries.size, samples: this.heldSamples };
  }

  private evict(): void {
    for (const [path, entry] of this.entries) {
      if (this.heldSamples <= this.maxSamples) return;
      if (entry.samples === 0) continue;
      this.entries.delete(path);
      this.heldSamples -= entry.samples;
    }
  }
}
