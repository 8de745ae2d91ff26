// Compiles a dial plan's rule entries under one governing object's permissions into a matcher, so a
// decision costs one trie walk instead of a scan of every entry.
//
// Every entry of a list gets a precedence rank: entries of allowed groups first, in the §1 Decision
// order (allowed groups in the order listed, entries in configured order), then entries of groups that
// are configured but not allowed (groups in order of first appearance, entries in configured order).
// The lowest-ranked matching entry is the one a linear walk in that same order would stop at, so the
// trie and the traced linear walk give the same answer by construction.

import { resolveDialCodes } from './classify.js';
import type { DialCodes } from './classify.js';
import { ANY_DIGIT } from './number-mask.js';
import { groupKey, parseDialingRuleEntry } from './rule-entry.js';
import type { ParsedDialingRuleEntry } from './rule-entry.js';
import type { DialingPermissions, DialingRuleEntry, DialingRuleListName, DialingRulesSource } from './types.js';

/** A group in walk order with its entries' indices in the configured list. */
export interface CompiledGroup {
  /** The name as listed in the allowed list (allowed groups) or as first configured (others). */
  readonly name: string;
  readonly allowed: boolean;
  readonly indices: readonly number[];
}

/** No entry matched. */
export const NO_RANK = Number.MAX_SAFE_INTEGER;

/** Trie over mask characters: slots 0–9 are literal digits, slot 10 is x. */
interface TrieNode {
  readonly next: (TrieNode | undefined)[];
  /** Lowest rank of the masks without `*` that end here. */
  endRank: number;
  /** Lowest rank of the masks ending in `*` whose fixed part ends here. */
  starRank: number;
  /** Lowest rank anywhere in this subtree (prunes the walk). */
  subtreeMin: number;
}

const ANY_SLOT = 10;

function newNode(): TrieNode {
  return { next: new Array<TrieNode | undefined>(11).fill(undefined), endRank: NO_RANK, starRank: NO_RANK, subtreeMin: NO_RANK };
}

/** One configured list of rule entries, compiled for one set of permissions. */
export interface CompiledRuleList {
  readonly list: DialingRuleListName;
  /** Parsed entries, in configured order (index = index in the list). */
  readonly entries: readonly ParsedDialingRuleEntry[];
  /** Allowed groups (as listed, including any with no configured entry) then not-allowed groups, in precedence order. */
  readonly walk: readonly CompiledGroup[];
  /** Entries with rank below this are in allowed groups. */
  readonly allowedCount: number;
  /** Configured index of the entry with each rank. */
  readonly indexByRank: readonly number[];
  /** Group name (as in `walk`) of the entry with each rank. */
  readonly groupByRank: readonly string[];
  /** Lowest rank of an entry whose mask is exactly `*` (what a non-user SIP URI needs), or NO_RANK. */
  readonly catchAllRank: number;
  readonly root: TrieNode;
}

/** A dial plan's rules and codes compiled under one governing object's permissions. */
export interface CompiledDialingRules {
  readonly dialPlan: DialingRulesSource;
  readonly permissions: DialingPermissions;
  readonly codes: DialCodes;
  readonly inCountry: CompiledRuleList;
  readonly international: CompiledRuleList;
}

function buildWalk(entries: readonly DialingRuleEntry[], allowedNames: readonly string[]): CompiledGroup[] {
  const byGroup = new Map<string, { name: string; indices: number[] }>();
  entries.forEach((entry, index) => {
    const key = groupKey(entry.Name);
    const group = byGroup.get(key);
    if (group === undefined) byGroup.set(key, { name: entry.Name, indices: [index] });
    else group.indices.push(index);
  });
  const walk: CompiledGroup[] = [];
  const taken = new Set<string>();
  for (const name of allowedNames) {
    const key = groupKey(name);
    if (taken.has(key)) continue; // listed twice: the first listing already fixed its precedence
    taken.add(key);
    const group = byGroup.get(key);
    walk.push({ name, allowed: true, indices: group?.indices ?? [] });
  }
  for (const [key, group] of byGroup) {
    if (!taken.has(key)) walk.push({ name: group.name, allowed: false, indices: group.indices });
  }
  return walk;
}

function insert(root: TrieNode, parsed: ParsedDialingRuleEntry, rank: number): void {
  let node = root;
  if (rank < node.subtreeMin) node.subtreeMin = rank;
  for (const p of parsed.mask.pattern) {
    const slot = p === ANY_DIGIT ? ANY_SLOT : p;
    let child = node.next[slot];
    if (child === undefined) {
      child = newNode();
      node.next[slot] = child;
    }
    node = child;
    if (rank < node.subtreeMin) node.subtreeMin = rank;
  }
  if (parsed.mask.hasStar) {
    if (rank < node.starRank) node.starRank = rank;
  } else if (rank < node.endRank) {
    node.endRank = rank;
  }
}

function compileList(list: DialingRuleListName, configured: readonly DialingRuleEntry[], allowedNames: readonly string[]): CompiledRuleList {
  // Parsing every entry (allowed or not) makes an invalid entry fail compilation, not a later call.
  const entries = configured.map(parseDialingRuleEntry);
  const walk = buildWalk(configured, allowedNames);
  const root = newNode();
  const indexByRank: number[] = [];
  const groupByRank: string[] = [];
  let allowedCount = 0;
  let catchAllRank = NO_RANK;
  for (const group of walk) {
    for (const index of group.indices) {
      const rank = indexByRank.length;
      indexByRank.push(index);
      groupByRank.push(group.name);
      if (group.allowed) allowedCount++;
      const parsed = entries[index] as ParsedDialingRuleEntry;
      insert(root, parsed, rank);
      if (catchAllRank === NO_RANK && parsed.mask.hasStar && parsed.mask.pattern.length === 0) catchAllRank = rank;
    }
  }
  return { list, entries, walk, allowedCount, indexByRank, groupByRank, catchAllRank, root };
}

/** Rank of the best-precedence entry of the list whose mask matches these digits, or NO_RANK. */
export function lowestMatchingRank(compiled: CompiledRuleList, digits: string): number {
  return visit(compiled.root, digits, 0, NO_RANK);
}

// Each trie node is distinct, so there is at most one visit per mask prefix: work is bounded by the
// trie size, and subtree minima prune everything that cannot beat the best match so far.
function visit(node: TrieNode, digits: string, depth: number, best: number): number {
  if (node.subtreeMin >= best) return best;
  if (node.starRank < best) best = node.starRank;
  if (depth === digits.length) return node.endRank < best ? node.endRank : best;
  const digit = node.next[digits.charCodeAt(depth) - 48];
  if (digit !== undefined) best = visit(digit, digits, depth + 1, best);
  const any = node.next[ANY_SLOT];
  if (any !== undefined) best = visit(any, digits, depth + 1, best);
  return best;
}

const cache = new WeakMap<DialingRulesSource, WeakMap<DialingPermissions, CompiledDialingRules>>();

/**
 * Compiles (or returns the cached compilation of) a dial plan under a governing object's permissions.
 * Throws `InvalidDialingRuleError` for an invalid entry and `InvalidDialPlanError` for bad dial codes.
 * The cache is keyed by object identity: config objects are frozen after validation, so a changed
 * configuration arrives as new objects and compiles afresh.
 */
export function compileDialingRules(dialPlan: DialingRulesSource, permissions: DialingPermissions): CompiledDialingRules {
  let byPermissions = cache.get(dialPlan);
  if (byPermissions === undefined) {
    byPermissions = new WeakMap();
    cache.set(dialPlan, byPermissions);
  }
  let compiled = byPermissions.get(permissions);
  if (compiled === undefined) {
    compiled = {
      dialPlan,
      permissions,
      codes: resolveDialCodes(dialPlan),
      inCountry: compileList('ConfiguredInCountryOrRegionGroups', dialPlan.ConfiguredInCountryOrRegionGroups, permissions.AllowedInCountryOrRegionGroups),
      international: compileList('ConfiguredInternationalGroups', dialPlan.ConfiguredInternationalGroups, permissions.AllowedInternationalGroups),
    };
    byPermissions.set(permissions, compiled);
  }
  return compiled;
}
