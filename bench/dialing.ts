// Dialing-rules throughput: decisions per second with the trace off (compiled trie) and on (linear
// walk with a full trace), on the large-site fixture. Prints figures only.
//
//   npm run build && node dist/bench/dialing.js [ruleEntries] [seconds]

import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { validateConfigurationFile } from '../src/app/index.js';
import { authorizeDial, compileDialingRules, permissionsFor } from '../src/dialing/index.js';
import type { DialDecision, DialingPermissions, SubscriberLookup } from '../src/dialing/index.js';
import { buildDialStrings, buildLargeSite } from './fixtures/large-site.js';
import type { LargeSiteDialPlan } from './fixtures/large-site.js';

const ruleEntries = Number(process.argv[2] ?? 500);
const seconds = Number(process.argv[3] ?? 2);
const mailboxes = 10_000;

const site = buildLargeSite({ ruleEntries, mailboxes });
const firstDialPlan = site.UMDialPlans[0];
if (firstDialPlan === undefined) throw new Error('fixture has no dial plan');
const dialPlan: LargeSiteDialPlan = firstDialPlan;

const extensions = new Set<string>();
const bySip = new Map<string, { dialPlanName: string; extension?: string }>();
for (const m of site.UMMailboxes) {
  for (const e of m.Extensions) extensions.add(`${dialPlan.Name}\u0000${e}`);
  bySip.set(m.SIPResourceIdentifier.toLowerCase(), { dialPlanName: dialPlan.Name, extension: m.Extensions[0] });
}
const subscribers: SubscriberLookup = {
  hasExtension: (dp, ext) => extensions.has(`${dp}\u0000${ext}`),
  findBySipUri: (uri) => bySip.get(uri.toLowerCase()),
};

const policies = site.UMMailboxPolicies;
const permissionSets: { name: string; permissions: DialingPermissions }[] = policies.map((p) => ({
  name: p.Name,
  permissions: permissionsFor('play-on-phone', { policy: p, dialPlan }),
}));
const dialStrings = buildDialStrings(8192, 0x0badcafe, mailboxes);

const compileStart = process.hrtime.bigint();
for (const p of permissionSets) compileDialingRules(dialPlan, p.permissions);
const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;

interface RunResult { decisions: number; elapsedMs: number; allowed: number; denied: Map<string, number>; categories: Map<string, number> }

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Runs decisions round-robin over the dial strings and policies for about `seconds`, checking the clock every 4096. */
function run(trace: boolean): RunResult {
  const result: RunResult = { decisions: 0, elapsedMs: 0, allowed: 0, denied: new Map(), categories: new Map() };
  const budgetNs = BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let i = 0;
  let last: DialDecision | undefined;
  for (;;) {
    for (let k = 0; k < 4096; k++, i++) {
      const set = permissionSets[i % permissionSets.length] as { permissions: DialingPermissions };
      last = authorizeDial({ scenario: 'play-on-phone', dialString: dialStrings[i % dialStrings.length] as string, dialPlan, permissions: set.permissions, subscribers, trace });
      if (last.allowed) result.allowed++;
      else count(result.denied, last.reason ?? '?');
      count(result.categories, last.category ?? 'none');
    }
    const elapsed = process.hrtime.bigint() - start;
    if (elapsed >= budgetNs) {
      result.decisions = i;
      result.elapsedMs = Number(elapsed) / 1e6;
      return result;
    }
  }
}

function report(label: string, r: RunResult): void {
  const rate = r.decisions / (r.elapsedMs / 1000);
  console.log(`${label}: ${r.decisions} decisions in ${r.elapsedMs.toFixed(0)} ms = ${Math.round(rate).toLocaleString('en-US')} decisions/s (${(1e6 / rate).toFixed(2)} µs each)`);
  console.log(`  allowed ${r.allowed}, denied ${r.decisions - r.allowed}: ${[...r.denied].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`  categories: ${[...r.categories].map(([k, v]) => `${k} ${v}`).join(', ')}`);
}

const entries = dialPlan.ConfiguredInCountryOrRegionGroups.length + dialPlan.ConfiguredInternationalGroups.length;
console.log(`dial plan ${dialPlan.Name}: ${entries} rule entries (${dialPlan.ConfiguredInCountryOrRegionGroups.length} in-country, ${dialPlan.ConfiguredInternationalGroups.length} international), ${permissionSets.length} policies, ${dialStrings.length} distinct dial strings, ${mailboxes} mailboxes`);
console.log(`compile: ${compileMs.toFixed(1)} ms for ${permissionSets.length} policy × dial plan pairs`);
report('trace off', run(false));
report('trace on ', run(true));

/** Load + validate of the same site written as YAML: parse, schema, cross-references, dialing checks. */
function loadAndValidate(): void {
  const dir = mkdtempSync(join(tmpdir(), 'openum-bench-'));
  try {
    const file = join(dir, 'large-site.yaml');
    writeFileSync(file, stringify(site));
    const times: number[] = [];
    let diagnostics = 0;
    for (let i = 0; i < 5; i++) {
      const start = process.hrtime.bigint();
      const result = validateConfigurationFile(file);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      diagnostics = result.diagnostics.length;
      if (!result.configuration) throw new Error(`large site does not validate: ${result.diagnostics[0]?.message ?? '?'}`);
    }
    times.sort((a, b) => a - b);
    console.log(`load + validate ${(statSync(file).size / 1e6).toFixed(1)} MB YAML (${entries} rule entries, ${mailboxes} mailboxes): first ${times[0]!.toFixed(0)}..max ${times.at(-1)!.toFixed(0)} ms, median ${times[2]!.toFixed(0)} ms over 5 runs, ${diagnostics} diagnostics`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
loadAndValidate();
