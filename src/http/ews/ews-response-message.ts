import { element, textElement } from '../xml/index.js';
import type { XmlNode } from '../xml/index.js';
import { UmBackendError } from '../um-backend.js';
import { DEFAULT_MESSAGE_TEXT, EwsResponseError, RESPONSE_CODE_OF_REFUSAL } from './ews-errors.js';
import type { EwsOperationContext } from './ews-operation.js';

type Content = XmlNode | undefined;

/** A response message with `ResponseClass="Success"` and `NoError`, followed by its content. */
export function successMessage(name: string, ...content: Content[]): XmlNode {
  return element(name, { ResponseClass: 'Success' }, textElement('m:ResponseCode', 'NoError'), ...content);
}

/**
 * A response message with `ResponseClass="Error"`. Element order follows ResponseMessageType:
 * MessageText, ResponseCode, DescriptiveLinkKey, then the message's own (empty) elements.
 */
export function errorMessage(name: string, error: EwsResponseError, ...content: Content[]): XmlNode {
  return element(
    name,
    { ResponseClass: 'Error' },
    textElement('m:MessageText', error.message),
    textElement('m:ResponseCode', error.responseCode),
    textElement('m:DescriptiveLinkKey', 0),
    ...content,
  );
}

/**
 * Converts what a handler threw into the EWS error it stands for. Backend refusals map through
 * {@link RESPONSE_CODE_OF_REFUSAL}; anything unexpected is logged and becomes `ErrorInternalServerError`
 * so that one bad item never turns into a crash or a fault for the whole request.
 */
export function toEwsResponseError(error: unknown, context: EwsOperationContext): EwsResponseError {
  if (error instanceof EwsResponseError) return error;
  if (error instanceof UmBackendError) return new EwsResponseError(RESPONSE_CODE_OF_REFUSAL[error.refusal], error.message, { cause: error });
  context.log.error({ err: error, mailbox: context.mailbox }, 'EWS operation failed');
  return new EwsResponseError('ErrorInternalServerError', DEFAULT_MESSAGE_TEXT.ErrorInternalServerError ?? 'Internal server error.', { cause: error });
}

/** Runs one unit of work and answers with a success message or the matching error message. */
/**
 * One response message per requested id, in order (EWS answers each id on its own: one missing item
 * does not fail the others).
 */
export async function respondToEach<T>(
  items: readonly T[],
  name: string,
  context: EwsOperationContext,
  work: (item: T) => Promise<Content[]>,
  emptyOnError: Content[] = [],
): Promise<XmlNode[]> {
  const messages: XmlNode[] = [];
  for (const item of items) messages.push(await respond(name, context, () => work(item), emptyOnError));
  return messages;
}

export async function respond(
  name: string,
  context: EwsOperationContext,
  work: () => Promise<Content[]>,
  emptyOnError: Content[] = [],
): Promise<XmlNode> {
  try {
    return successMessage(name, ...(await work()));
  } catch (error) {
    return errorMessage(name, toEwsResponseError(error, context), ...emptyOnError);
  }
}

/** A ResponseCode error raised by the protocol layer, worded as Exchange words it. */
export function ewsError(code: keyof typeof DEFAULT_MESSAGE_TEXT & EwsResponseError['responseCode'], message?: string): EwsResponseError {
  return new EwsResponseError(code, message ?? DEFAULT_MESSAGE_TEXT[code] ?? code);
}
