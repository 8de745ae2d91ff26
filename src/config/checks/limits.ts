import type { Finding } from '../diagnostic.js';
import type { ConfigurationInput } from '../schema/configuration.js';

/** A pilot number reduced to what a call's Request-URI would carry: digits, with a leading + kept. */
export function pilotKey(number: string): string {
  return (number.trim().startsWith('+') ? '+' : '') + number.replace(/\D/g, '');
}

/**
 * Relations between properties of one object (E_RECORDING_EXCEEDS_CALL,
 * E_PIN_RESET_EXCEEDS_LOGON_ATTEMPTS), pilot numbers unique across dial plans and auto attendants
 * (E_DUPLICATE_PILOT), and one outcall gateway per SipName dial plan (W_MULTIPLE_OUTCALL_GATEWAYS).
 */
export function checkLimits(config: ConfigurationInput): Finding[] {
  const out: Finding[] = [];
  config.UMDialPlans.forEach((d, i) => {
    if (d.MaxRecordingDuration >= d.MaxCallDuration) {
      out.push({ code: 'E_RECORDING_EXCEEDS_CALL', message: 'MaxRecordingDuration must be less than MaxCallDuration', path: ['UMDialPlans', i, 'MaxRecordingDuration'], expected: `less than ${d.MaxCallDuration} minutes`, found: `${d.MaxRecordingDuration} minutes` });
    }
  });
  config.UMMailboxPolicies.forEach((p, i) => {
    if (p.LogonFailuresBeforePINReset !== 'Unlimited' && p.LogonFailuresBeforePINReset >= p.MaxLogonAttempts) {
      out.push({ code: 'E_PIN_RESET_EXCEEDS_LOGON_ATTEMPTS', message: 'LogonFailuresBeforePINReset must be less than MaxLogonAttempts', path: ['UMMailboxPolicies', i, 'LogonFailuresBeforePINReset'], expected: `less than ${p.MaxLogonAttempts}`, found: `${p.LogonFailuresBeforePINReset}` });
    }
  });

  const pilots = new Map<string, string>();
  const pilot = (number: string, owner: string, path: Finding['path']) => {
    const key = pilotKey(number);
    const first = pilots.get(key);
    if (first !== undefined) out.push({ code: 'E_DUPLICATE_PILOT', message: `pilot number ${number} is already used by ${first}`, path });
    else pilots.set(key, owner);
  };
  config.UMDialPlans.forEach((d, i) => d.AccessTelephoneNumbers.forEach((n, j) => pilot(n, `dial plan "${d.Name}"`, ['UMDialPlans', i, 'AccessTelephoneNumbers', j])));
  config.UMAutoAttendants.forEach((a, i) => a.PilotIdentifierList.forEach((n, j) => pilot(n, `auto attendant "${a.Name}"`, ['UMAutoAttendants', i, 'PilotIdentifierList', j])));

  for (const d of config.UMDialPlans) {
    if (d.URIType !== 'SipName') continue;
    const outcall = config.UMIPGateways
      .map((g, i) => ({ g, i }))
      .filter(({ g }) => g.OutcallsAllowed && g.Status === 'Enabled' && g.UMDialPlans.some((n) => n.toLowerCase() === d.Name.toLowerCase()));
    if (outcall.length > 1) {
      const names = outcall.map(({ g }) => g.Name).join(', ');
      for (const { i } of outcall.slice(1)) {
        out.push({ code: 'W_MULTIPLE_OUTCALL_GATEWAYS', message: `SipName dial plan "${d.Name}" has outcalls allowed on ${outcall.length} gateways (${names}); Lync integration wants one`, path: ['UMIPGateways', i, 'OutcallsAllowed'] });
      }
    }
  }
  return out;
}
