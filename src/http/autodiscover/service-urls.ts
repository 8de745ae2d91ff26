import { createHash } from 'node:crypto';

/** Where Autodiscover points clients, all derived from the backend's public base URL. */
export interface ServiceUrls {
  /** Host name clients connect to (POX `Server`). */
  server: string;
  /** True for an https base URL (POX `SSL On`). */
  ssl: boolean;
  /** EWS endpoint; also Availability (ASUrl) and Out-of-Office (OOFUrl), which Exchange serves from EWS too. */
  ewsUrl: string;
  /**
   * Exchange 2010's legacy UM web service (Outlook 2007's Play on Phone). openum does not serve it and
   * advertises the path Exchange uses only because clients expect the element; current clients use EWS.
   */
  umUrl: string;
  /** Options page; `EcpUrl-um` is appended to it by clients to reach the voice-mail settings. */
  ecpUrl: string;
  /** A stable identifier of this openum deployment (POX `DeploymentId`). */
  deploymentId: string;
}

/** The `EcpUrl-um` fragment Exchange 2010 sends (relative to EcpUrl). */
export const ECP_UM_FRAGMENT = '?rfr=olk&p=customize/voicemail.aspx&exsvurl=1';

/** Derives every advertised URL from `publicBaseUrl` (`https://um.contoso.com:8443`, with or without a trailing slash). */
export function serviceUrls(publicBaseUrl: string): ServiceUrls {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const parsed = new URL(base);
  return {
    server: parsed.hostname,
    ssl: parsed.protocol === 'https:',
    ewsUrl: `${base}/EWS/Exchange.asmx`,
    umUrl: `${base}/UnifiedMessaging/Service.asmx`,
    ecpUrl: `${base}/ecp/`,
    deploymentId: deploymentIdOf(base),
  };
}

/**
 * Exchange reports its organisation's GUID. openum has no directory object to take one from, so it
 * derives a name-based UUID (RFC 4122 §4.3, SHA-1) from the public URL: stable across restarts and nodes.
 */
function deploymentIdOf(base: string): string {
  const bytes = createHash('sha1').update(`openum-deployment:${base.toLowerCase()}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
