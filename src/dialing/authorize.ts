// Who may dial what (spec §2): classify the dial string (§2.3), then either apply the Allow flags
// (extensions, §2.2) or find the winning rule entry (§1). Without a trace the entry comes from the
// compiled trie; with one, from a linear walk in the same precedence order that records every entry.

import { classify, readDialString } from './classify.js';
import { compileDialingRules, lowestMatchingRank, NO_RANK } from './compile.js';
import type { CompiledDialingRules, CompiledRuleList } from './compile.js';
import { applyDialedNumber, explainNumberMask } from './number-mask.js';
import type { ParsedDialingRuleEntry } from './rule-entry.js';
import type { DialCategory, DialDecision, DialDenialReason, DialRequest, DialingRuleRef, EntryTraceStep, TraceStep } from './types.js';

/** The entry a walk stopped at: its list, configured index, group name and whether the group is allowed. */
interface RuleMatch {
  list: CompiledRuleList;
  index: number;
  group: string;
  allowed: boolean;
}

// One constructor keeps the key order of every decision the same, so JSON.stringify output is stable.
function decision(
  dialString: string,
  category: DialCategory | undefined,
  prefixed: string | undefined,
  group: string | undefined,
  entry: DialingRuleRef | undefined,
  dialed: string | undefined,
  reason: DialDenialReason | undefined,
  trace: TraceStep[] | undefined,
): DialDecision {
  if (trace !== undefined) {
    const result: TraceStep = { kind: 'result', allowed: reason === undefined };
    if (reason !== undefined) result.reason = reason;
    if (dialed !== undefined) result.dialed = dialed;
    trace.push(result);
  }
  return { dialString, allowed: reason === undefined, category, prefixed, group, entry, dialed, reason, trace: trace ?? [] };
}

/** Decides one dial under the governing object's permissions (spec §1, §2); pure apart from the directory lookups. */
export function authorizeDial(request: DialRequest): DialDecision {
  const compiled = compileDialingRules(request.dialPlan, request.permissions);
  if (request.trace !== true) return decide(compiled, request, undefined);
  const trace: TraceStep[] = [];
  const input = readDialString(request.dialString);
  trace.push({ kind: 'input', scenario: request.scenario, dialString: request.dialString, digits: input.digits, e164: input.e164, sipUri: input.sipUri });
  return decide(compiled, request, trace);
}

function decide(compiled: CompiledDialingRules, request: DialRequest, trace: TraceStep[] | undefined): DialDecision {
  const { dialString, permissions, subscribers } = request;
  const codes = compiled.codes;
  const c = classify(dialString, codes, subscribers, trace);
  switch (c.kind) {
    case 'not-dialable':
      return decision(dialString, undefined, undefined, undefined, undefined, undefined, 'not-dialable', trace);

    case 'extension': {
      const dialPlanName = codes.dialPlanName;
      const subscriber = permissions.AllowDialPlanSubscribers || trace !== undefined ? subscribers.hasExtension(dialPlanName, c.digits) : false;
      const ok = extensionAllowed(request, subscriber, true, trace);
      return decision(dialString, 'extension', c.digits, undefined, undefined, ok ? c.digits : undefined, ok ? undefined : 'extension-not-allowed', trace);
    }

    case 'sip-user': {
      // §2.3 step 1 makes it that user's extension call; only users of this dial plan are its subscribers.
      const sameDialPlan = c.dialPlanName.toLowerCase() === codes.dialPlanName.toLowerCase();
      const extension = sameDialPlan ? c.extension : undefined;
      const hasExtensionLength = extension !== undefined && extension.length === codes.extensionLength && /^[0-9]+$/.test(extension);
      const ok = extensionAllowed(request, sameDialPlan, hasExtensionLength, trace);
      const target = extension ?? c.uri;
      return decision(dialString, 'extension', target, undefined, undefined, ok ? target : undefined, ok ? undefined : 'extension-not-allowed', trace);
    }

    case 'sip': {
      // A SIP URI that is no UM user goes out unchanged, but only through an in-country `*` entry.
      const list = compiled.inCountry;
      const match = trace === undefined ? matchFromRank(list, list.catchAllRank) : walkLinear(list, trace, (parsed) => (parsed.mask.hasStar && parsed.mask.pattern.length === 0 ? c.uri : undefined), c.uri);
      return ruleDecision(dialString, 'sip', c.uri, match, () => c.uri, trace);
    }

    case 'national':
    case 'international': {
      const list = c.kind === 'national' ? compiled.inCountry : compiled.international;
      const dialable = c.dialable;
      const match = trace === undefined ? matchFromRank(list, lowestMatchingRank(list, dialable)) : walkLinear(list, trace, undefined, dialable);
      return ruleDecision(dialString, c.kind, dialable, match, (parsed) => applyDialedNumber(parsed.mask, parsed.dialed, dialable), trace);
    }
  }
}

/** §2.2: AllowDialPlanSubscribers lets a UM user of this dial plan through; AllowExtensions any number of extension length. */
function extensionAllowed(request: DialRequest, subscriber: boolean, extensionLength: boolean, trace: TraceStep[] | undefined): boolean {
  const { AllowDialPlanSubscribers, AllowExtensions } = request.permissions;
  trace?.push({ kind: 'extension', flag: 'AllowDialPlanSubscribers', enabled: AllowDialPlanSubscribers, applies: subscriber });
  trace?.push({ kind: 'extension', flag: 'AllowExtensions', enabled: AllowExtensions, applies: extensionLength });
  return (AllowDialPlanSubscribers && subscriber) || (AllowExtensions && extensionLength);
}

function matchFromRank(list: CompiledRuleList, rank: number): RuleMatch | undefined {
  if (rank === NO_RANK) return undefined;
  return { list, index: list.indexByRank[rank] as number, group: list.groupByRank[rank] as string, allowed: rank < list.allowedCount };
}

/**
 * The traced walk: every allowed group in listed order, every entry in configured order, until one
 * matches; then, if none did, the groups that are configured but not allowed, to tell
 * `group-not-allowed` from `no-matching-rule`. `special` replaces mask matching (SIP URIs need `*`).
 */
function walkLinear(
  list: CompiledRuleList,
  trace: TraceStep[],
  special: ((parsed: ParsedDialingRuleEntry) => string | undefined) | undefined,
  digits: string,
): RuleMatch | undefined {
  for (const group of list.walk) {
    trace.push({ kind: 'group', list: list.list, group: group.name, allowed: group.allowed, entries: group.indices.length });
    for (const index of group.indices) {
      const parsed = list.entries[index] as ParsedDialingRuleEntry;
      const step: EntryTraceStep = { kind: 'entry', list: list.list, group: group.name, index, mask: parsed.rule.NumberMask, allowed: group.allowed, outcome: 'matched' };
      if (special !== undefined) {
        const dialed = special(parsed);
        if (dialed === undefined) step.outcome = 'not-catch-all';
        else step.dialed = dialed;
      } else {
        const why = explainNumberMask(parsed.mask, digits);
        if (why.outcome === 'wrong-length') {
          step.outcome = 'wrong-length';
          step.got = why.got;
          step.need = why.need;
          step.atLeast = why.atLeast;
        } else if (why.outcome === 'digit-mismatch') {
          step.outcome = 'digit-mismatch';
          step.position = why.position;
          step.expected = why.expected;
          step.got = why.got;
        } else {
          step.dialed = applyDialedNumber(parsed.mask, parsed.dialed, digits);
        }
      }
      trace.push(step);
      if (step.outcome === 'matched') return { list, index, group: group.name, allowed: group.allowed };
    }
  }
  return undefined;
}

function ruleDecision(
  dialString: string,
  category: DialCategory,
  prefixed: string,
  match: RuleMatch | undefined,
  dial: (parsed: ParsedDialingRuleEntry) => string,
  trace: TraceStep[] | undefined,
): DialDecision {
  if (match === undefined) return decision(dialString, category, prefixed, undefined, undefined, undefined, 'no-matching-rule', trace);
  const parsed = match.list.entries[match.index] as ParsedDialingRuleEntry;
  const entry: DialingRuleRef = { list: match.list.list, index: match.index, rule: parsed.rule };
  if (!match.allowed) return decision(dialString, category, prefixed, match.group, entry, undefined, 'group-not-allowed', trace);
  return decision(dialString, category, prefixed, match.group, entry, dial(parsed), undefined, trace);
}
