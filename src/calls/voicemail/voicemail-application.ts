import type { UMDialPlan, UMMailbox } from '../../config/index.js';
import { resolveCallerName } from '../../directory/index.js';
import type { Directory } from '../../directory/index.js';
import type { CommittedMessage, MailboxService, StorageCodec } from '../../mailbox/index.js';
import type { DtmfDigit, PlayItem, PromptLibrary, RecordingResult } from '../../media/index.js';
import type { CallApplication, CallContext, RoutedTarget } from '../call-application.js';
import type { CallSession } from '../call-session.js';
import { CallEndedError } from '../errors.js';
import type { CallerIdentity } from '../caller-identity.js';

/** What happened on one call-answering call (logs, tests, and the notification layer read it). */
export interface CallAnsweringOutcome {
  callId: string;
  mailbox: string;
  caller: CallerIdentity;
  /** The caller's name by caller-ID resolution (spec §5); null when the directory has none. */
  callerName: string | null;
  /** When the call was answered. */
  receivedAt: Date;
  /** How the call went. */
  result: 'message' | 'no-message' | 'anonymous-refused' | 'mailbox-full' | 'caller-hung-up-during-greeting';
  /** The recording, when one was made. */
  recording?: RecordingResult;
  /** The message, when one was kept. */
  message?: CommittedMessage;
}

/** Options of {@link createVoicemailApplication}. */
export interface VoicemailApplicationOptions {
  mailboxes: MailboxService;
  prompts: PromptLibrary;
  /** For caller-ID name resolution (spec §5). */
  directory: Directory;
  /** Told of each finished call (missed-call notification, tests). */
  onOutcome?: (outcome: CallAnsweringOutcome) => void;
}

type GreetingEnd = { kind: 'played' } | { kind: 'skipped' } | { kind: 'logon' } | { kind: 'hung-up' };

/**
 * Call answering (spec §3.2): greeting (OOF, personal, or the system greeting with the recorded name or
 * spoken extension), `#` skips it, `*` asks for subscriber logon; then the tone and the recording until
 * `#`, RecordingIdleTimeout of silence, MaxRecordingDuration or hang-up. A message needs 1 s of voice;
 * trailing silence is trimmed. Anonymous callers and full mailboxes are told so and let go.
 */
export function createVoicemailApplication(options: VoicemailApplicationOptions): CallApplication {
  const { mailboxes, prompts } = options;

  async function greeting(mailbox: UMMailbox): Promise<PlayItem[]> {
    const file = (path: string | undefined) => (path === undefined ? undefined : [{ kind: 'file' as const, path }]);
    const oof = (await mailboxes.store.getOutOfOffice(mailbox.Alias)) ? file(await mailboxes.greetingFile(mailbox.Alias, 'oof')) : undefined;
    const chosen = oof ?? file(await mailboxes.greetingFile(mailbox.Alias, 'personal'));
    if (chosen) return chosen;
    const who = file(await mailboxes.greetingFile(mailbox.Alias, 'name')) ?? prompts.digits(mailbox.Extensions[0] ?? '');
    // The dial plan's WelcomeGreetingFilename greets subscriber-access callers, not callers leaving a message.
    return [...prompts.items('please-leave-a-message-for'), ...who, ...prompts.items('after-the-tone')];
  }

  async function playGreeting(session: CallSession, items: PlayItem[]): Promise<GreetingEnd> {
    const played = await session.play(items, { bargeIn: true });
    if (session.endedReason) return { kind: 'hung-up' };
    if (played.interruptedBy === '#') return { kind: 'skipped' };
    if (played.interruptedBy === '*') return { kind: 'logon' };
    // Other digits barge in too but mean nothing here: carry on to the tone.
    return { kind: 'played' };
  }

  async function goodbye(session: CallSession, ...first: Parameters<PromptLibrary['items']>): Promise<void> {
    await session.play(prompts.items(...first, 'goodbye'));
  }

  async function record(session: CallSession, mailbox: UMMailbox, dialPlan: UMDialPlan, caller: CallerIdentity, callerName: string | null): Promise<{ recording: RecordingResult; message: CommittedMessage | undefined }> {
    const pending = await mailboxes.beginMessage({
      mailbox: mailbox.Alias,
      dialPlanCodec: dialPlan.AudioCodec as StorageCodec,
      caller: caller.id,
      callerName,
      callId: session.callId,
    });
    try {
      await session.play(prompts.items('tone'));
      const recording = await session.record({
        sink: pending.sink,
        terminators: ['#' as DtmfDigit],
        idleTimeoutMs: dialPlan.RecordingIdleTimeout * 1000,
        maxDurationMs: dialPlan.MaxRecordingDuration * 60_000,
      });
      const message = await pending.commit(recording);
      return { recording, message };
    } catch (error) {
      // Only a recording still in progress can be discarded; one already committing stays in the spool,
      // where start-up recovery delivers it.
      if (pending.state === 'recording') await pending.discard().catch((e: unknown) => session.logger.error({ err: e }, 'could not discard a failed recording'));
      else session.logger.error({ err: error, messageId: pending.id }, 'a recorded message could not be committed; it stays in the spool for recovery');
      throw error;
    }
  }

  return {
    async run(session: CallSession, target: RoutedTarget, context: CallContext) {
      if (target.kind !== 'call-answering') throw new Error(`voicemail cannot take a ${target.kind} call`);
      const { mailbox, dialPlan } = target;
      const receivedAt = new Date();
      // Only the directory names a caller (spec §5, step 7: else the number is shown); a display name
      // the caller's side sent is not trusted, as Exchange does not.
      const callerName = resolveCallerName(options.directory, { caller: context.caller.id, calledMailbox: mailbox, dialPlan }).name ?? null;
      const base = { callId: session.callId, mailbox: mailbox.Alias, caller: context.caller, callerName, receivedAt };
      const done = (outcome: CallAnsweringOutcome) => {
        session.logger.info({ mailbox: mailbox.Alias, result: outcome.result, durationMs: outcome.message?.durationMs, reason: outcome.recording?.reason }, 'call answering finished');
        options.onOutcome?.(outcome);
      };
      try {
        if (context.caller.id === null && !mailbox.AnonymousCallersCanLeaveMessages) {
          await goodbye(session, 'cannot-take-messages-right-now');
          return done({ ...base, result: 'anonymous-refused' });
        }
        if (await mailboxes.isOverQuota(mailbox.Alias)) {
          await goodbye(session, 'mailbox-full');
          return done({ ...base, result: 'mailbox-full' });
        }
        const greeted = await playGreeting(session, await greeting(mailbox));
        if (greeted.kind === 'hung-up') return done({ ...base, result: 'caller-hung-up-during-greeting' });
        if (greeted.kind === 'logon') {
          // Subscriber access is not built yet: say so, then take a message as if the caller had waited.
          await session.play(prompts.items('system-unavailable'));
        }
        const { recording, message } = await record(session, mailbox, dialPlan, context.caller, callerName);
        if (message && recording.reason !== 'hangup') await goodbye(session, 'message-recorded');
        return done({ ...base, result: message ? 'message' : 'no-message', recording, ...(message ? { message } : {}) });
      } catch (error) {
        if (!(error instanceof CallEndedError)) {
          // Our failure, not the caller's: say so if the caller is still there, and still report the
          // call (a missed-call notification beats silence).
          session.logger.error({ err: error }, 'call answering failed');
          if (!session.endedReason) await session.play(prompts.items('system-unavailable', 'goodbye')).catch(() => undefined);
        }
        return done({ ...base, result: 'no-message' });
      }
    },
  };
}
