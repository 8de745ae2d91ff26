import { join } from 'node:path';
import { MediaArgumentError } from './errors.js';

/**
 * Whose custom prompt: a dial plan's (WelcomeGreetingFilename, InfoAnnouncementFilename) or an auto
 * attendant's (Business/AfterHours WelcomeGreetingFilename, …MainMenuCustomPromptFilename). In
 * Exchange these files live in the arbitration mailbox, filed under the dial plan or AA.
 */
export type CustomPromptTarget =
  | { dialPlan: string; autoAttendant?: undefined; name: string }
  | { autoAttendant: string; dialPlan?: undefined; name: string };

/** Subfolders of the custom prompt directory, one per kind of owner. */
export const CUSTOM_PROMPT_FOLDERS = Object.freeze({ dialPlan: 'dial-plans', autoAttendant: 'auto-attendants' });

// Exchange stores prompts as .wav or .wma (and openum imports .mp3 too); all become one .wav here.
const AUDIO_EXTENSION = /\.(wav|wma|mp3)$/i;
const MAX_NAME_LENGTH = 255;

/** A name usable as one path segment: no separators, no `.`/`..`, no control characters. */
function pathSegment(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  if (value.length === 0 || value.length > MAX_NAME_LENGTH || /[/\\\u0000-\u001f]/.test(value) || /^\.+$/.test(value.trim()) || value.trim() !== value) {
    throw new MediaArgumentError(`${what} "${value}" cannot name a prompt folder or file`);
  }
  return value.toLowerCase();
}

/**
 * The file name a prompt property value maps to. Exchange compares these names case-insensitively
 * (they lived on Windows) and keeps .wav or .wma files; openum keeps one 8 kHz WAV per name, so
 * the value is lowercased and a trailing .wav/.wma/.mp3 becomes .wav: `Welcome.WMA` → `welcome.wav`,
 * `welcome` → `welcome.wav`, `menu.v2` → `menu.v2.wav`.
 */
export function customPromptFileName(name: string): string {
  const base = pathSegment(name, 'prompt name').replace(AUDIO_EXTENSION, '');
  if (base.length === 0 || /^\.+$/.test(base)) throw new MediaArgumentError(`prompt name "${name}" has no name before its extension`);
  return `${base}.wav`;
}

/**
 * Where a custom prompt lives: `<customDirectory>/dial-plans/<dial plan name>/<file>` or
 * `<customDirectory>/auto-attendants/<AA name>/<file>`, names lowercased (Exchange object names are
 * case-insensitive), file as {@link customPromptFileName}. Throws {@link MediaArgumentError} for a
 * name that could leave the folder.
 */
export function customPromptPath(customDirectory: string, target: CustomPromptTarget): string {
  const [folder, owner] = target.dialPlan !== undefined
    ? [CUSTOM_PROMPT_FOLDERS.dialPlan, pathSegment(target.dialPlan, 'dial plan name')]
    : [CUSTOM_PROMPT_FOLDERS.autoAttendant, pathSegment(target.autoAttendant, 'auto attendant name')];
  return join(customDirectory, folder, owner, customPromptFileName(target.name));
}
