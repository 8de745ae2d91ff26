import { readFile } from 'node:fs/promises';
import { element } from '../../xml/index.js';
import { EWS_TYPES } from '../ews-namespaces.js';
import { decodeEwsId } from '../ews-ids.js';
import type { EwsOperation } from '../ews-operation.js';
import { boundedIds, requireEwsChild } from '../ews-request-reading.js';
import { ewsError, respondToEach } from '../ews-response-message.js';
import { fileAttachmentToWire } from '../voice-message-to-wire.js';

const MESSAGE = 'm:GetAttachmentResponseMessage';

/**
 * `m:GetAttachment`: the audio of the user's own messages, base64 in `t:Content`. A voice message is at
 * most a few MB (G.711 is 480 kB a minute), so it is read whole rather than streamed into the XML.
 */
export const getAttachment: EwsOperation = async (request, context) => {
  const ids = requireEwsChild(request, 'AttachmentIds').children.filter((child) => child.namespace === EWS_TYPES && child.localName === 'AttachmentId');
  boundedIds(ids, 10, 'AttachmentIds');
  const messages = await respondToEach(
    ids,
    MESSAGE,
    context,
    async (id) => {
      const messageId = decodeEwsId('attachment', id.attributes.get('Id'));
      const audio = await context.backend.getVoiceMessageAudio(context.mailbox, messageId);
      if (audio === undefined) throw ewsError('ErrorItemNotFound');
      // A missing file is the server's fault, not the client's: it surfaces as ErrorInternalServerError (logged).
      const content = await readFile(audio.path);
      return [element('m:Attachments', {}, fileAttachmentToWire(audio.summary, content.toString('base64')))];
    },
    [element('m:Attachments')],
  );
  return element('m:GetAttachmentResponse', {}, element('m:ResponseMessages', {}, ...messages));
};
