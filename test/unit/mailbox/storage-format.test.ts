import { STORAGE_FORMATS, storageCodecsInUse } from '../../../src/mailbox/storage-format.js';

describe('storage formats (spec §3.3)', () => {
  test('G711 and Gsm store .wav, Wma .wma, Mp3 .mp3; only G711 needs no encoder', () => {
    expect(Object.values(STORAGE_FORMATS).map((f) => [f.codec, f.extension, f.encoder])).toEqual([
      ['G711', 'wav', undefined],
      ['Gsm', 'wav', 'libgsm_ms'],
      ['Mp3', 'mp3', 'libmp3lame'],
      ['Wma', 'wma', 'wmav2'],
    ]);
  });

  test('codecs in use: every dial plan AudioCodec and every mailbox override, once each', () => {
    expect(storageCodecsInUse({ UMDialPlans: [{ AudioCodec: 'G711' }, { AudioCodec: 'G711' }], UMMailboxes: [{}, { CallAnsweringAudioCodec: 'Wma' }] })).toEqual(['G711', 'Wma']);
    expect(storageCodecsInUse({ UMDialPlans: [], UMMailboxes: [] })).toEqual([]);
  });
});
