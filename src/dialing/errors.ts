import { OpenumError } from '../errors.js';
import type { DialingRuleProblem } from './problems.js';
import type { DialScenario } from './types.js';

/** A mask, dialed number or rule entry that is not valid was given to a parse or compile step. */
export class InvalidDialingRuleError extends OpenumError {
  /** Every problem found (at least one error). */
  readonly problems: readonly DialingRuleProblem[];

  constructor(what: string, problems: readonly DialingRuleProblem[]) {
    super('OPENUM_DIALING_INVALID_RULE', `invalid dialing rule ${what}: ${problems.map((p) => p.message).join('; ')}`);
    this.problems = problems;
  }
}

/** A dial plan property the engine relies on (a dial code, the extension length) is not valid. */
export class InvalidDialPlanError extends OpenumError {
  /** The dial plan property at fault. */
  readonly property: string;

  constructor(dialPlanName: string, property: string, detail: string) {
    super('OPENUM_DIALING_INVALID_DIAL_PLAN', `dial plan ${dialPlanName}: ${property} ${detail}`);
    this.property = property;
  }
}

/** The object that governs a scenario (§2.1) was not supplied. */
export class MissingGoverningObjectError extends OpenumError {
  /** The scenario asked about. */
  readonly scenario: DialScenario;
  /** Which object was needed. */
  readonly need: 'policy' | 'autoAttendant';

  constructor(scenario: DialScenario, need: 'policy' | 'autoAttendant') {
    super('OPENUM_DIALING_MISSING_GOVERNING_OBJECT', `scenario ${scenario} is governed by the ${need}, which was not given`);
    this.scenario = scenario;
    this.need = need;
  }
}
