// Which object's allow flags and allowed groups govern a scenario (spec §2.1).

import { MissingGoverningObjectError } from './errors.js';
import type { DialingPermissions, DialScenario } from './types.js';

/** The objects a caller may have at hand; which one governs depends on the scenario. */
export interface GoverningObjects {
  /** The user's UM mailbox policy (Play on Phone, subscriber access after logon). */
  policy?: DialingPermissions;
  /** The dial plan (anonymous callers at the subscriber-access pilot). */
  dialPlan: DialingPermissions;
  /** The auto attendant being called. */
  autoAttendant?: DialingPermissions;
}

/**
 * The permissions governing a scenario: the mailbox policy for play-on-phone and subscriber, the dial
 * plan for anonymous, the auto attendant for auto-attendant (§2.1 Decision: the AA alone decides).
 * Returns the object itself, never a copy, so compiled rules cached by identity are reused.
 * Throws `MissingGoverningObjectError` when the governing object is absent.
 */
export function permissionsFor(scenario: DialScenario, objects: GoverningObjects): DialingPermissions {
  switch (scenario) {
    case 'play-on-phone':
    case 'subscriber':
      if (objects.policy === undefined) throw new MissingGoverningObjectError(scenario, 'policy');
      return objects.policy;
    case 'anonymous':
      return objects.dialPlan;
    case 'auto-attendant':
      if (objects.autoAttendant === undefined) throw new MissingGoverningObjectError(scenario, 'autoAttendant');
      return objects.autoAttendant;
  }
}
