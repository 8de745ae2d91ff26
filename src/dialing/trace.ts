// Human-readable rendering of a dial decision's trace, for `openum check-dial` and logs. The trace
// itself is plain data (see TraceStep); JSON.stringify of it is the machine form.

import type { DialDecision, TraceStep } from './types.js';

const PREFIX_RULES: Record<string, string> = {
  'e164-national': 'begins with + and the country code: outside line + national prefix + rest',
  'e164-international': 'begins with + and another country code: outside line + international access code + number',
  'outside-line-dialled': 'starts with the outside line access code: dialled as is',
  'international-access-code-dialled': 'starts with the international access code: outside line + number',
  'national-prefix-dialled': 'starts with the national number prefix: outside line + number',
  'national-without-prefix': 'national number without prefix: outside line + national prefix + number',
};

const CATEGORY_RULES: Record<string, string> = {
  'sip-uri-of-user': 'SIP URI of a UM user: extension call',
  'sip-uri-not-user': 'SIP URI of no UM user: needs an in-country entry with mask *',
  'e164-national': 'E.164 in the dial plan\'s country',
  'e164-international': 'E.164 outside the dial plan\'s country',
  'extension-length': 'as many digits as an extension: no rules apply',
  'starts-with-olac-iac': 'starts with outside line + international access code',
  'not-international': 'does not start with outside line + international access code',
};

/** One trace step as one line of text (indented for entries). */
export function formatTraceStep(step: TraceStep): string {
  switch (step.kind) {
    case 'input':
      return `input ${JSON.stringify(step.dialString)} (${step.scenario}): ${step.sipUri ? 'SIP URI' : `digits "${step.digits}"${step.e164 ? ', E.164' : ''}`}`;
    case 'not-dialable':
      return `not dialable: ${step.why === 'empty' ? 'empty dial string' : 'no digits'}`;
    case 'sip-user':
      return step.found
        ? `SIP URI ${step.uri} is a UM user of dial plan ${step.dialPlanName ?? '?'}${step.extension === undefined ? '' : `, extension ${step.extension}`}`
        : `SIP URI ${step.uri} is no UM user`;
    case 'prefix':
      return `§2.3 step ${step.step}: ${PREFIX_RULES[step.rule] ?? step.rule} → ${step.dialable}`;
    case 'category':
      return `§2.3 step ${step.step}: ${step.category} (${CATEGORY_RULES[step.rule] ?? step.rule})`;
    case 'extension':
      return `${step.flag} is ${step.enabled ? 'on' : 'off'}; ${step.flag === 'AllowDialPlanSubscribers' ? (step.applies ? 'a UM user of this dial plan' : 'not a UM user of this dial plan') : step.applies ? 'has the extension length' : 'not an extension of this dial plan'}`;
    case 'group':
      return `group ${step.group} (${step.list}): ${step.allowed ? 'allowed' : 'not allowed'}, ${step.entries === 0 ? 'no entries configured' : `${step.entries} entr${step.entries === 1 ? 'y' : 'ies'}`}`;
    case 'entry': {
      const where = `  [${step.group} #${step.index}] ${step.mask}${step.allowed ? '' : ' (group not allowed)'}: `;
      switch (step.outcome) {
        case 'matched':
          return `${where}matched → ${step.dialed ?? ''}`;
        case 'wrong-length':
          return `${where}wrong length (${String(step.got)} digits, mask needs ${step.atLeast === true ? 'at least ' : ''}${String(step.need)})`;
        case 'digit-mismatch':
          return `${where}digit mismatch at position ${String(step.position)} (mask ${step.expected ?? '?'}, got ${String(step.got)})`;
        case 'not-catch-all':
          return `${where}not * (a SIP URI matches only the catch-all mask)`;
      }
      return where;
    }
    case 'result':
      return step.allowed ? `result: allowed, dial ${step.dialed ?? ''}` : `result: refused (${step.reason ?? '?'})`;
  }
}

/** A decision's whole trace as lines of text (empty when the decision was made without a trace). */
export function formatTrace(decision: DialDecision): string[] {
  return decision.trace.map(formatTraceStep);
}
