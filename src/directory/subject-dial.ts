import type { DialDecision } from '../dialing/index.js';
import { authorizeDial } from '../dialing/index.js';
import type { DialSubject, Directory } from './directory.js';

/**
 * Decides one dial for a subject of {@link Directory.dialSubject} (spec §2): the subject's dial plan
 * supplies the rules and codes, its governing object the permissions, the directory the subscribers.
 * `openum check-dial` and Play on Phone both decide through this one function, so what the command
 * line shows is what a call would do. Always traced: callers print or log the steps.
 */
export function authorizeSubjectDial(directory: Directory, subject: DialSubject, dialString: string): DialDecision {
  return authorizeDial({
    scenario: subject.scenario,
    dialString,
    dialPlan: subject.dialPlan,
    permissions: subject.permissions,
    subscribers: directory.subscribers,
    trace: true,
  });
}
