// Input and output types of the dialing-rules engine. Input property names are Exchange's (PascalCase)
// so that validated config objects (UMDialPlan, UMMailboxPolicy, UMAutoAttendant) satisfy them
// structurally and can be passed straight in.

/** One dialing rule entry: `Name,NumberMask,DialedNumber,Comment` (spec §1). */
export interface DialingRuleEntry {
  Name: string;
  NumberMask: string;
  DialedNumber: string;
  Comment?: string;
}

/** What the engine needs of a UMDialPlan: rule definitions and dial codes. Empty/undefined code = none. */
export interface DialingRulesSource {
  Name: string;
  NumberOfDigitsInExtension: number;
  OutsideLineAccessCode?: string;
  InternationalAccessCode?: string;
  NationalNumberPrefix?: string;
  CountryOrRegionCode?: string;
  ConfiguredInCountryOrRegionGroups: readonly DialingRuleEntry[];
  ConfiguredInternationalGroups: readonly DialingRuleEntry[];
}

/** Allow flags and allowed groups of the governing object (mailbox policy, dial plan or auto attendant). */
export interface DialingPermissions {
  AllowDialPlanSubscribers: boolean;
  AllowExtensions: boolean;
  AllowedInCountryOrRegionGroups: readonly string[];
  AllowedInternationalGroups: readonly string[];
}

/** Directory questions, answered by the caller (the directory layer). */
export interface SubscriberLookup {
  /** Is there a UM user with this extension in the named dial plan? */
  hasExtension(dialPlanName: string, extension: string): boolean;
  /** The UM user whose SIPResourceIdentifier is this SIP URI (compare case-insensitively, without `sip:` and params), if any. */
  findBySipUri(sipUri: string): { dialPlanName: string; extension?: string } | undefined;
}

/** Who is dialling (spec §2.1); decides which object's permissions govern. */
export type DialScenario = 'play-on-phone' | 'subscriber' | 'anonymous' | 'auto-attendant';

/** Which configured list of a dial plan a rule entry lives in. */
export type DialingRuleListName = 'ConfiguredInCountryOrRegionGroups' | 'ConfiguredInternationalGroups';

/** What a dial string turned out to be (spec §2.3); `sip` is a SIP URI that is no UM user. */
export type DialCategory = 'extension' | 'national' | 'international' | 'sip';

/** Why a dial was refused (spec §2.3 "Failure reasons"; the policy/gateway ones belong to other layers). */
export type DialDenialReason = 'not-dialable' | 'extension-not-allowed' | 'no-matching-rule' | 'group-not-allowed';

/** A rule entry as found in the dial plan: which list, its index there, and the entry itself. */
export interface DialingRuleRef {
  /** The configured list the entry is in. */
  list: DialingRuleListName;
  /** Zero-based index in that list. */
  index: number;
  /** The configured entry object (same reference as in the dial plan). */
  rule: DialingRuleEntry;
}

/** Everything `authorizeDial` needs. */
export interface DialRequest {
  /** Who is dialling; recorded in the trace (permissions are already resolved, see `permissionsFor`). */
  scenario: DialScenario;
  /** What the user typed or the client sent: digits with punctuation, `+E.164`, or a SIP URI. */
  dialString: string;
  /** The dial plan supplying rule definitions and dial codes. */
  dialPlan: DialingRulesSource;
  /** The governing object's allow flags and allowed groups. */
  permissions: DialingPermissions;
  /** Directory answers for extension and SIP-URI calls. */
  subscribers: SubscriberLookup;
  /** Record every step in `DialDecision.trace` (slower; for `check-dial` and logs). */
  trace?: boolean;
}

/** The engine's answer for one dial string. Key order is fixed so `JSON.stringify` is stable. */
export interface DialDecision {
  /** The dial string as given. */
  dialString: string;
  /** May the call be placed. */
  allowed: boolean;
  /** What the string is; undefined when it is not dialable. */
  category: DialCategory | undefined;
  /** The dialable string the rules matched (spec §2.3), the extension, or the SIP URI. */
  prefixed: string | undefined;
  /** Group of the winning entry, or of the matching entry of a group that is not allowed. */
  group: string | undefined;
  /** The winning entry (or the not-allowed matching entry when `reason` is `group-not-allowed`). */
  entry: DialingRuleRef | undefined;
  /** The string to send to the gateway; undefined when refused. */
  dialed: string | undefined;
  /** Undefined when allowed. */
  reason: DialDenialReason | undefined;
  /** Every step taken, when the request asked for a trace; empty otherwise. */
  trace: TraceStep[];
}

/** How §2.3 steps 2, 4, 5 and 6 prefixed the digits. */
export type PrefixRule =
  | 'e164-national'
  | 'e164-international'
  | 'outside-line-dialled'
  | 'international-access-code-dialled'
  | 'national-prefix-dialled'
  | 'national-without-prefix';

/** Why a string got its category (§2.3 steps 1, 2, 3, 7). */
export type CategoryRule =
  | 'sip-uri-of-user'
  | 'sip-uri-not-user'
  | 'e164-national'
  | 'e164-international'
  | 'extension-length'
  | 'starts-with-olac-iac'
  | 'not-international';

/** Why a rule entry did or did not match the dialable string. */
export type EntryOutcome = 'matched' | 'wrong-length' | 'digit-mismatch' | 'not-catch-all';

/** The dial string as received. */
export interface InputTraceStep {
  kind: 'input';
  scenario: DialScenario;
  dialString: string;
  /** The string stripped to its digits (S in §2.3). */
  digits: string;
  e164: boolean;
  sipUri: boolean;
}

/** The string cannot be dialled at all. */
export interface NotDialableTraceStep {
  kind: 'not-dialable';
  why: 'empty' | 'no-digits';
}

/** Directory answer for a SIP URI (§2.3 step 1). */
export interface SipUserTraceStep {
  kind: 'sip-user';
  uri: string;
  found: boolean;
  dialPlanName?: string;
  extension?: string;
}

/** A prefixing decision (§2.3 steps 2, 4, 5, 6). */
export interface PrefixTraceStep {
  kind: 'prefix';
  step: number;
  rule: PrefixRule;
  dialable: string;
}

/** A classification decision (§2.3 steps 1, 2, 3, 7). */
export interface CategoryTraceStep {
  kind: 'category';
  step: number;
  rule: CategoryRule;
  category: DialCategory;
}

/** One Allow flag evaluated for an extension call (§2.2). */
export interface ExtensionTraceStep {
  kind: 'extension';
  flag: 'AllowDialPlanSubscribers' | 'AllowExtensions';
  enabled: boolean;
  /** AllowDialPlanSubscribers: the number is a UM user of this dial plan; AllowExtensions: it has the extension length. */
  applies: boolean;
}

/** A dialing rule group about to be walked. */
export interface GroupTraceStep {
  kind: 'group';
  list: DialingRuleListName;
  group: string;
  /** Listed in the governing object's allowed groups. */
  allowed: boolean;
  /** Number of configured entries with this name (0: allowed but not configured). */
  entries: number;
}

/** One rule entry tried against the dialable string. */
export interface EntryTraceStep {
  kind: 'entry';
  list: DialingRuleListName;
  group: string;
  index: number;
  mask: string;
  /** Whether the entry's group is allowed; a match in a not-allowed group only explains a refusal. */
  allowed: boolean;
  outcome: EntryOutcome;
  /** wrong-length: the mask's fixed length (`atLeast` when it ends in `*`); digit-mismatch: 1-based position. */
  need?: number;
  atLeast?: boolean;
  got?: number | string;
  position?: number;
  expected?: string;
  /** matched: what the entry's DialedNumber produces. */
  dialed?: string;
}

/** The final answer. */
export interface ResultTraceStep {
  kind: 'result';
  allowed: boolean;
  reason?: DialDenialReason;
  dialed?: string;
}

/** One step of a dial decision's trace; `kind` discriminates. Plain data: print with `formatTraceStep`. */
export type TraceStep =
  | InputTraceStep
  | NotDialableTraceStep
  | SipUserTraceStep
  | PrefixTraceStep
  | CategoryTraceStep
  | ExtensionTraceStep
  | GroupTraceStep
  | EntryTraceStep
  | ResultTraceStep;
