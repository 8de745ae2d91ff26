import { STORAGE_FORMATS } from '../../../src/mailbox/index.js';
import { ATTACHMENT_FORMATS, voiceMailAttachmentName } from '../../../src/notify/index.js';

describe('audio attachment', () => {
  it('MIME types and extensions agree with mailbox/ storage formats', () => {
    for (const [codec, format] of Object.entries(STORAGE_FORMATS)) {
      expect(ATTACHMENT_FORMATS[codec as keyof typeof ATTACHMENT_FORMATS]).toEqual({ mimeType: format.mimeType, extension: format.extension });
    }
  });

  it('file names replace characters file systems refuse and cut long caller labels', () => {
    expect(voiceMailAttachmentName('a/b\\c:d*e?f"g<h>i|j', '2026-11-25 14-03', 'G711')).toBe('Voice Mail from a_b_c_d_e_f_g_h_i_j 2026-11-25 14-03.wav');
    const long = voiceMailAttachmentName('x'.repeat(500), '2026-11-25 14-03', 'Wma');
    expect(long).toBe(`Voice Mail from ${'x'.repeat(64)} 2026-11-25 14-03.wma`);
    expect(voiceMailAttachmentName('...', '2026-11-25 14-03', 'Mp3')).toBe('Voice Mail from caller 2026-11-25 14-03.mp3');
  });
});
