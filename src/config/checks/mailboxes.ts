import type { Finding } from '../diagnostic.js';
import type { ConfigurationInput } from '../schema/configuration.js';
import { indexByName } from './names.js';

/** A stored PIN hash as openum writes it (scrypt) or an argon2 PHC string. */
export const PIN_HASH_PATTERN = /^(scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+|\$argon2(id|i|d)\$.+)$/;

/** Compares SIP URIs as Exchange does: case-insensitive, without the scheme and parameters. */
export function sipUriKey(uri: string): string {
  return uri.replace(/^sips?:/i, '').split(';')[0]!.toLowerCase();
}

/**
 * Per-mailbox directory rules: extensions unique per dial plan and of the dial plan's length, SIP URIs
 * and calling line ids unique, SIPResourceIdentifier present for SipName/E164, PINs only as hashes.
 */
export function checkMailboxes(config: ConfigurationInput): Finding[] {
  const out: Finding[] = [];
  const dpIndex = indexByName(config.UMDialPlans, (d) => d.Name);
  const policyIndex = indexByName(config.UMMailboxPolicies, (p) => p.Name);
  const extensions = new Map<string, string>();
  const sipUris = new Map<string, string>();
  const lineIds = new Map<string, string>();
  if (config.TestFixture) out.push({ code: 'W_TEST_FIXTURE', message: 'this file is a test fixture: clear-text PINs are accepted; never use it in production', path: ['TestFixture'] });

  config.UMMailboxes.forEach((m, i) => {
    const base = ['UMMailboxes', i] as const;
    const pi = policyIndex.get(m.UMMailboxPolicy.toLowerCase());
    const policy = pi === undefined ? undefined : config.UMMailboxPolicies[pi];
    const di = policy ? dpIndex.get(policy.UMDialPlan.toLowerCase()) : undefined;
    const dialPlan = di === undefined ? undefined : config.UMDialPlans[di];
    if (dialPlan) {
      m.Extensions.forEach((ext, j) => {
        if (ext.length !== dialPlan.NumberOfDigitsInExtension) {
          out.push({ code: 'E_EXTENSION_LENGTH', message: `extension length differs from dial plan "${dialPlan.Name}"`, path: [...base, 'Extensions', j], expected: `${dialPlan.NumberOfDigitsInExtension} digits`, found: `${ext.length} digits (${ext})` });
        }
        const key = `${dialPlan.Name.toLowerCase()}/${ext}`;
        const owner = extensions.get(key);
        if (owner !== undefined && owner !== m.Alias) {
          out.push({ code: 'E_DUPLICATE_EXTENSION', message: `extension ${ext} is already ${owner}'s in dial plan "${dialPlan.Name}"`, path: [...base, 'Extensions', j] });
        } else {
          extensions.set(key, m.Alias);
        }
      });
      if (dialPlan.URIType !== 'TelExtn' && m.SIPResourceIdentifier === undefined) {
        out.push({ code: 'E_MISSING_SIP_RESOURCE_IDENTIFIER', message: `dial plan "${dialPlan.Name}" has URIType ${dialPlan.URIType}: the mailbox needs a SIPResourceIdentifier`, path: [...base] });
      }
    }
    if (m.SIPResourceIdentifier !== undefined) {
      const key = sipUriKey(m.SIPResourceIdentifier);
      const owner = sipUris.get(key);
      if (owner !== undefined) out.push({ code: 'E_DUPLICATE_SIP_URI', message: `SIPResourceIdentifier ${m.SIPResourceIdentifier} is already ${owner}'s`, path: [...base, 'SIPResourceIdentifier'] });
      else sipUris.set(key, m.Alias);
    }
    m.UMCallingLineIds.forEach((id, j) => {
      const key = id.replace(/^\+/, '');
      const owner = lineIds.get(key);
      if (owner !== undefined && owner !== m.Alias) out.push({ code: 'E_DUPLICATE_CALLING_LINE_ID', message: `calling line id ${id} is already ${owner}'s`, path: [...base, 'UMCallingLineIds', j] });
      else lineIds.set(key, m.Alias);
    });
    if (m.PIN !== undefined && !PIN_HASH_PATTERN.test(m.PIN) && !config.TestFixture) {
      out.push({ code: 'E_CLEAR_PIN', message: 'a PIN must be stored as a hash (openum mailbox set-pin writes one); clear PINs only in files marked TestFixture: true', path: [...base, 'PIN'], expected: 'scrypt$… or $argon2…', found: 'a clear-text value' });
    }
  });
  return out;
}
