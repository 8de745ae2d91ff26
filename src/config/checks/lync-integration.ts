import type { Finding } from '../diagnostic.js';
import type { ConfigurationInput } from '../schema/configuration.js';
import type { Integration } from '../schema/integration.js';

/** One cell of spec §10's support matrix. */
interface MatrixCell {
  supported: boolean;
  namesMustMatch: boolean;
  text: string;
}

const SERVER_TEXT = { OCS2007: 'OCS 2007', OCS2007R2: 'OCS 2007 R2', Lync2010: 'Lync Server 2010' } as const;
const EXCHANGE_TEXT = { '2007SP1': 'Exchange 2007 SP1/SP2 UM', '2010': 'Exchange 2010 UM', '2010SP1': 'Exchange 2010 SP1 UM' } as const;

/** Spec §10: before Exchange 2010 SP1 location profile names must match; OCS 2007 × 2010 SP1 is unsupported. */
export function supportMatrix(server: Integration['SignallingServer'], exchange: Integration['ExchangeVersion']): MatrixCell {
  const row = `${SERVER_TEXT[server]} × ${EXCHANGE_TEXT[exchange]}`;
  if (server === 'OCS2007' && exchange === '2010SP1') return { supported: false, namesMustMatch: true, text: `${row}: not supported` };
  const namesMustMatch = exchange !== '2010SP1';
  const scope = server === 'Lync2010' && exchange === '2010SP1' ? 'cross-premises or enterprise' : 'on-premises only';
  return { supported: true, namesMustMatch, text: `${row}: ${scope}; names ${namesMustMatch ? 'must' : 'need not'} match` };
}

/** Spec §10's Lync ↔ Exchange rules, for the dial plans the Integration block governs. */
export function checkLyncIntegration(config: ConfigurationInput, phoneContextOf: (dialPlanName: string) => string): Finding[] {
  const integration = config.Integration;
  if (!integration) return [];
  const out: Finding[] = [];
  const cell = supportMatrix(integration.SignallingServer, integration.ExchangeVersion);
  if (!cell.supported) {
    out.push({ code: 'E_LYNC_UNSUPPORTED', message: cell.text, path: ['Integration', 'ExchangeVersion'] });
  }
  const governed = integration.UMDialPlans?.map((n) => n.toLowerCase());
  const dialPlans = config.UMDialPlans
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => governed === undefined || governed.includes(d.Name.toLowerCase()));
  const contexts = dialPlans.map(({ d }) => phoneContextOf(d.Name));

  if (cell.namesMustMatch) {
    integration.LocationProfiles.forEach((profile, j) => {
      if (!contexts.includes(profile)) {
        out.push({ code: 'E_LYNC_LOCATION_PROFILE_NAME', message: `location profile "${profile}" is not named after a UM dial plan's phone context (${cell.text})`, path: ['Integration', 'LocationProfiles', j], expected: contexts.join(' or ') || 'a UM dial plan phone context' });
      }
    });
    contexts.forEach((context, k) => {
      if (!integration.LocationProfiles.includes(context)) {
        out.push({ code: 'E_LYNC_LOCATION_PROFILE_NAME', message: `no location profile is named "${context}" (${cell.text})`, path: ['UMDialPlans', dialPlans[k]!.i, 'Name'], expected: `a location profile named ${context}` });
      }
    });
  }

  const wantedSecurity = integration.LyncMediaEncryption === 'Required' ? 'Secured' : integration.LyncMediaEncryption === undefined ? undefined : 'SIPSecured';
  for (const { d, i } of dialPlans) {
    if (d.URIType !== 'SipName') {
      out.push({ code: 'E_LYNC_URI_TYPE', message: `dial plan "${d.Name}" is used with ${SERVER_TEXT[integration.SignallingServer]}`, path: ['UMDialPlans', i, 'URIType'], expected: 'SipName', found: d.URIType });
    }
    if (wantedSecurity !== undefined ? d.VoIPSecurity !== wantedSecurity : d.VoIPSecurity === 'Unsecured') {
      out.push({
        code: 'E_LYNC_VOIP_SECURITY',
        message: `dial plan "${d.Name}" VoIPSecurity must follow Lync's media encryption${integration.LyncMediaEncryption ? ` (${integration.LyncMediaEncryption})` : ''}`,
        path: ['UMDialPlans', i, 'VoIPSecurity'],
        expected: wantedSecurity ?? 'SIPSecured or Secured',
        found: d.VoIPSecurity,
      });
    }
    const policies = config.UMMailboxPolicies.filter((p) => p.UMDialPlan.toLowerCase() === d.Name.toLowerCase());
    if (!policies.some((p) => p.AllowedInCountryOrRegionGroups.length + p.AllowedInternationalGroups.length > 0)) {
      out.push({ code: 'W_LYNC_NO_OUTDIAL_GROUP', message: `no mailbox policy of dial plan "${d.Name}" allows a dialing rule group, so Play on Phone cannot dial out through Lync (typically "Anywhere,*,*,*")`, path: ['UMDialPlans', i, 'Name'] });
    }
    const attendants = config.UMAutoAttendants.filter((a) => a.UMDialPlan.toLowerCase() === d.Name.toLowerCase()).length;
    if (attendants !== 1) {
      out.push({ code: 'W_LYNC_AUTO_ATTENDANT_COUNT', message: `Lync wants one auto attendant per dial plan; "${d.Name}" has ${attendants}`, path: ['UMDialPlans', i, 'Name'], expected: '1', found: `${attendants}` });
    }
  }
  return out;
}
