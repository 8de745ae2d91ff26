import type { OpenumConfiguration, UMAutoAttendant, UMDialPlan, UMMailbox, UMMailboxPolicy } from '../config/index.js';
import { sipUriKey } from '../config/index.js';
import type { CallAddress, CallTarget } from './call-target.js';
import { findMailboxByAddress, findPilot } from './call-target.js';
import { DirectoryLookupError } from './errors.js';

/** Who an outdial is for (spec §2.1): the dialling scenario and the object it concerns. */
export type DialSubjectScenario = 'play-on-phone' | 'subscriber' | 'anonymous' | 'auto-attendant';

/** What the dialing engine needs for one scenario: rule source, governing permissions, directory. */
export interface DialSubject {
  scenario: DialSubjectScenario;
  /** The dial plan supplying rule definitions and dial codes. */
  dialPlan: UMDialPlan;
  /** The object whose allow flags and allowed groups govern (policy, dial plan or auto attendant). */
  permissions: UMMailboxPolicy | UMDialPlan | UMAutoAttendant;
  /** Which kind of object `permissions` is, for explanations. */
  governedBy: { kind: 'UMMailboxPolicy' | 'UMDialPlan' | 'UMAutoAttendant'; name: string };
  /** The mailbox, for the mailbox scenarios. */
  mailbox?: UMMailbox;
}

const key = (name: string) => name.toLowerCase();

/**
 * The users, policies, dial plans and auto attendants of a configuration, indexed for the questions
 * call routing, dialing and caller-ID resolution ask. Built once per configuration; read-only.
 */
export class Directory {
  readonly configuration: OpenumConfiguration;
  private readonly dialPlans = new Map<string, UMDialPlan>();
  private readonly policies = new Map<string, UMMailboxPolicy>();
  private readonly attendants = new Map<string, UMAutoAttendant>();
  private readonly mailboxes = new Map<string, UMMailbox>();
  /** `<dial plan>/<extension>` → mailbox. */
  private readonly byExtension = new Map<string, UMMailbox>();
  /** SIP URI without scheme and parameters, lower-case → mailbox. */
  private readonly bySipUri = new Map<string, UMMailbox>();

  constructor(configuration: OpenumConfiguration) {
    this.configuration = configuration;
    for (const d of configuration.UMDialPlans) this.dialPlans.set(key(d.Name), d);
    for (const p of configuration.UMMailboxPolicies) this.policies.set(key(p.Name), p);
    for (const a of configuration.UMAutoAttendants) this.attendants.set(key(a.Name), a);
    for (const m of configuration.UMMailboxes) {
      this.mailboxes.set(key(m.Alias), m);
      const dialPlan = this.dialPlanOfMailbox(m);
      if (dialPlan) for (const ext of m.Extensions) this.byExtension.set(`${key(dialPlan.Name)}/${ext}`, m);
      if (m.SIPResourceIdentifier !== undefined) this.bySipUri.set(sipUriKey(m.SIPResourceIdentifier), m);
    }
  }

  /** The dial plan with this name (case-insensitive). */
  findDialPlan(name: string): UMDialPlan | undefined {
    return this.dialPlans.get(key(name));
  }

  /** The mailbox policy with this name (case-insensitive). */
  findPolicy(name: string): UMMailboxPolicy | undefined {
    return this.policies.get(key(name));
  }

  /** The auto attendant with this name (case-insensitive). */
  findAutoAttendant(name: string): UMAutoAttendant | undefined {
    return this.attendants.get(key(name));
  }

  /** The UM mailbox with this alias (case-insensitive). */
  findMailbox(alias: string): UMMailbox | undefined {
    return this.mailboxes.get(key(alias));
  }

  /** The policy a mailbox is assigned. */
  policyOfMailbox(mailbox: UMMailbox): UMMailboxPolicy | undefined {
    return this.findPolicy(mailbox.UMMailboxPolicy);
  }

  /** The dial plan of a mailbox, through its policy. */
  dialPlanOfMailbox(mailbox: UMMailbox): UMDialPlan | undefined {
    const policy = this.policyOfMailbox(mailbox);
    return policy ? this.findDialPlan(policy.UMDialPlan) : undefined;
  }

  /** The mailbox with this extension in the named dial plan. */
  findByExtension(dialPlanName: string, extension: string): UMMailbox | undefined {
    return this.byExtension.get(`${key(dialPlanName)}/${extension}`);
  }

  /** The mailbox whose SIPResourceIdentifier is this URI (case-insensitive, scheme and params ignored). */
  findBySipUri(uri: string): UMMailbox | undefined {
    return this.bySipUri.get(sipUriKey(uri));
  }

  /** The mailbox an address (SIP URI, extension, +E.164) names through EUM proxies (spec §3.1). */
  findMailboxByAddress(address: CallAddress, gatewayDialPlans: readonly string[]): { mailbox: UMMailbox; dialPlan: UMDialPlan } | undefined {
    return findMailboxByAddress(this, address, gatewayDialPlans);
  }

  /** The subscriber-access or auto-attendant pilot a Request-URI dials, if any. */
  findPilot(address: CallAddress, gatewayDialPlans: readonly string[]): CallTarget | undefined {
    return findPilot(this, address, gatewayDialPlans);
  }

  /** Answers the dialing engine's directory questions (structurally its `SubscriberLookup`). */
  readonly subscribers = {
    hasExtension: (dialPlanName: string, extension: string): boolean => this.findByExtension(dialPlanName, extension) !== undefined,
    findBySipUri: (uri: string): { dialPlanName: string; extension?: string } | undefined => {
      const m = this.findBySipUri(uri);
      const dialPlan = m && this.dialPlanOfMailbox(m);
      if (!m || !dialPlan) return undefined;
      const extension = m.Extensions[0];
      return extension === undefined ? { dialPlanName: dialPlan.Name } : { dialPlanName: dialPlan.Name, extension };
    },
  };

  /**
   * The governing objects of spec §2.1 for a scenario and its subject: a mailbox alias
   * (play-on-phone, subscriber), a dial plan name (anonymous) or an auto attendant name.
   * Throws DirectoryLookupError when the subject does not exist.
   */
  dialSubject(scenario: DialSubjectScenario, subject: string): DialSubject {
    switch (scenario) {
      case 'play-on-phone':
      case 'subscriber': {
        const mailbox = this.findMailbox(subject);
        if (!mailbox) throw new DirectoryLookupError('UM mailbox', subject);
        const policy = this.policyOfMailbox(mailbox);
        const dialPlan = this.dialPlanOfMailbox(mailbox);
        if (!policy || !dialPlan) throw new DirectoryLookupError('UM mailbox policy', mailbox.UMMailboxPolicy);
        return { scenario, dialPlan, permissions: policy, governedBy: { kind: 'UMMailboxPolicy', name: policy.Name }, mailbox };
      }
      case 'anonymous': {
        const dialPlan = this.findDialPlan(subject);
        if (!dialPlan) throw new DirectoryLookupError('UM dial plan', subject);
        return { scenario, dialPlan, permissions: dialPlan, governedBy: { kind: 'UMDialPlan', name: dialPlan.Name } };
      }
      case 'auto-attendant': {
        const attendant = this.findAutoAttendant(subject);
        const dialPlan = attendant && this.findDialPlan(attendant.UMDialPlan);
        if (!attendant || !dialPlan) throw new DirectoryLookupError('UM auto attendant', subject);
        return { scenario, dialPlan, permissions: attendant, governedBy: { kind: 'UMAutoAttendant', name: attendant.Name } };
      }
    }
  }
}
