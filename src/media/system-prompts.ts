import type { DtmfDigit } from './telephone-event.js';

/**
 * Every system prompt id the code may ask for, in the order of prompts/manifest.json. The manifest
 * and this list must agree (a unit test checks it): adding a prompt means a manifest entry, a line
 * here and a generated WAV.
 */
export const SYSTEM_PROMPT_IDS = [
  // Call answering (spec §3.2).
  'please-leave-a-message-for',
  'after-the-tone',
  'is-not-available',
  'cannot-take-messages-right-now',
  'mailbox-full',
  'message-recorded',
  // Shared by every call application.
  'goodbye',
  'sorry-i-didnt-get-that',
  'system-unavailable',
  'please-hold',
  'tone',
  // Spoken extensions and keys.
  'digit-0',
  'digit-1',
  'digit-2',
  'digit-3',
  'digit-4',
  'digit-5',
  'digit-6',
  'digit-7',
  'digit-8',
  'digit-9',
  'digit-star',
  'digit-pound',
  // Subscriber access (spec §6).
  'welcome-subscriber-access',
  'enter-extension',
  'enter-pin',
  'pin-incorrect',
  'you-have',
  'new-messages',
  'new-message',
  'no-new-messages',
  'main-menu',
  // Auto attendant (spec §7).
  'welcome-business-hours',
  'welcome-after-hours',
  'enter-extension-of-person',
  'invalid-extension',
  'to-reach-the-operator-press-0',
] as const;

/** The id of a system prompt (its file is `<systemDirectory>/<id>.wav`). */
export type SystemPromptId = (typeof SYSTEM_PROMPT_IDS)[number];

/** The prompt that speaks each DTMF key; A–D have none (no phone a caller holds has them). */
export const DIGIT_PROMPTS: Readonly<Partial<Record<DtmfDigit, SystemPromptId>>> = Object.freeze({
  '0': 'digit-0',
  '1': 'digit-1',
  '2': 'digit-2',
  '3': 'digit-3',
  '4': 'digit-4',
  '5': 'digit-5',
  '6': 'digit-6',
  '7': 'digit-7',
  '8': 'digit-8',
  '9': 'digit-9',
  '*': 'digit-star',
  '#': 'digit-pound',
});

/** Whether `id` names a system prompt the code knows. */
export function isSystemPromptId(id: string): id is SystemPromptId {
  return (SYSTEM_PROMPT_IDS as readonly string[]).includes(id);
}
