import { element, textElement } from '../../xml/index.js';
import type { XmlNode } from '../../xml/index.js';
import { EwsResponseError } from '../ews-errors.js';
import { EWS_MESSAGES, EWS_TYPES } from '../ews-namespaces.js';
import type { EwsOperation, EwsOperationContext } from '../ews-operation.js';
import { ewsChild, requireEwsChild, schemaViolation } from '../ews-request-reading.js';
import { errorMessage, respond } from '../ews-response-message.js';

/** ServiceConfigurationType values a client may ask for (Exchange 2010 SP1 schema and later). */
const KNOWN_CONFIGURATIONS = new Set(['MailTips', 'UnifiedMessagingConfiguration', 'ProtectionRules', 'PolicyNudges']);
const MESSAGE = 'm:ServiceConfigurationResponseMessageType';

/**
 * `m:GetServiceConfiguration` (spec §8.1). openum only has UnifiedMessagingConfiguration; each other
 * configuration asked for gets its own error message, so that a client asking for MailTips and UM at
 * once (as Outlook does) still gets the UM part.
 */
export const getServiceConfiguration: EwsOperation = async (request, context) => {
  const requested = requireEwsChild(request, 'RequestedConfiguration')
    .children.filter((child) => child.localName === 'ConfigurationName' && (child.namespace === EWS_MESSAGES || child.namespace === EWS_TYPES))
    .map((child) => child.text.trim());
  if (requested.length === 0) throw schemaViolation('RequestedConfiguration names no configuration');
  const unknown = requested.find((name) => !KNOWN_CONFIGURATIONS.has(name));
  if (unknown !== undefined) throw schemaViolation(`the value '${unknown}' is not a ServiceConfigurationType`);
  // ActingAs asks for another user's view; openum answers only for the authenticated mailbox.
  if (ewsChild(request, 'ActingAs') !== undefined) throw schemaViolation('ActingAs is not supported');

  const messages: XmlNode[] = [];
  for (const name of new Set(requested)) messages.push(await configurationMessage(name, context));
  return element('m:GetServiceConfigurationResponse', { ResponseClass: 'Success' }, textElement('m:ResponseCode', 'NoError'), element('m:ResponseMessages', {}, ...messages));
};

async function configurationMessage(name: string, context: EwsOperationContext): Promise<XmlNode> {
  if (name !== 'UnifiedMessagingConfiguration') {
    return errorMessage(MESSAGE, new EwsResponseError('ErrorInvalidOperation', `openum does not provide the ${name} configuration.`));
  }
  return respond(MESSAGE, context, async () => {
    const configuration = context.backend.unifiedMessagingConfiguration(context.mailbox);
    return [
      element(
        'm:UnifiedMessagingConfiguration',
        {},
        textElement('t:UmEnabled', configuration.umEnabled),
        textElement('t:PlayOnPhoneDialString', configuration.playOnPhoneDialString),
        textElement('t:PlayOnPhoneEnabled', configuration.playOnPhoneEnabled),
      ),
    ];
  });
}
