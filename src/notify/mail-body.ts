import type { CallerPresentation } from './caller-presentation.js';

/** What a notification body shows. */
export interface MailBodyContent {
  /** Which notification. */
  kind: 'voice-mail' | 'missed-call';
  /** The caller. */
  caller: CallerPresentation;
  /** The formatted local time the call came in. */
  receivedAt: string;
  /** Voice mail only: length in whole seconds. */
  durationSeconds?: number | undefined;
  /** Voice mail only: the attachment's file name. */
  attachmentName?: string | undefined;
}

/** The two alternatives of a notification body. */
export interface MailBody {
  /** text/plain. */
  text: string;
  /** text/html, a complete document. */
  html: string;
}

/** `42 seconds`, or `1:05 (65 seconds)` from a minute on. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')} (${seconds} seconds)`;
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** One row of the body: label and text, plus a link target for the HTML form. */
interface BodyRow {
  label: string;
  text: string;
  href?: string | undefined;
}

function rowsFor(content: MailBodyContent): BodyRow[] {
  const { caller } = content;
  const rows: BodyRow[] = [{ label: 'Caller', text: caller.name ?? caller.label }];
  if (caller.shownAddress !== undefined) {
    rows.push({ label: caller.kind === 'sip' ? 'SIP address' : 'Number', text: caller.shownAddress, href: caller.dialLink });
  }
  rows.push({ label: 'Received', text: content.receivedAt });
  if (content.durationSeconds !== undefined) rows.push({ label: 'Duration', text: formatDuration(content.durationSeconds) });
  if (caller.dialLink !== undefined) rows.push({ label: 'Call back', text: caller.dialLink, href: caller.dialLink });
  return rows;
}

function closingLine(content: MailBodyContent): string {
  if (content.kind === 'voice-mail') return `The message is attached: ${content.attachmentName ?? 'audio file'}.`;
  return content.caller.dialLink === undefined
    ? 'The caller did not leave a message and did not share a number.'
    : 'The caller did not leave a message.';
}

/** Renders the plain-text and HTML bodies of a notification (pure). */
export function renderMailBody(content: MailBodyContent): MailBody {
  const title = `${content.kind === 'voice-mail' ? 'Voice mail' : 'Missed call'} from ${content.caller.label}`;
  const rows = rowsFor(content);
  const width = Math.max(...rows.map((r) => r.label.length)) + 2;
  const text = [title, '', ...rows.map((r) => `${`${r.label}:`.padEnd(width)}${r.text}`), '', closingLine(content), ''].join('\n');
  const htmlRows = rows
    .map((r) => {
      const value = r.href === undefined ? escapeHtml(r.text) : `<a href="${escapeHtml(r.href)}">${escapeHtml(r.text)}</a>`;
      return `<tr><th align="left" style="padding-right:1em">${escapeHtml(r.label)}</th><td>${value}</td></tr>`;
    })
    .join('\n');
  const html = [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><title>' + escapeHtml(title) + '</title></head>',
    '<body style="font-family:Segoe UI,Arial,sans-serif">',
    `<h2>${escapeHtml(title)}</h2>`,
    `<table>\n${htmlRows}\n</table>`,
    `<p>${escapeHtml(closingLine(content))}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { text, html };
}
