import { identityRenames, renamedSide } from './identity-renames';
import { ResourceChangeCounts, ResourceChanges, resourceChanges } from './resource-changes';
import { Endpoint, resolveEndpoint } from '../estate/endpoints';
import { Estate, estateOf } from '../estate/estate';
import { Host } from '../estate/host';
import { EvaluateOptions, evaluateEndpoints, layersOf } from '../evaluate';
import { externalPeers } from '../external-peers';
import { DecidingRule, LayerVerdict } from '../layers/layer-verdict';
import { TerraformModel } from '../model/terraform-model';
import { textOf } from '../model/value';
import { ALL_TRAFFIC, NO_TRAFFIC, Traffic, formatTraffic, intersectTraffic, isNoTraffic, subtractTraffic } from '../net/traffic';
import { PLATFORMS } from '../platforms/registry';
import { segmentEndpoints } from '../segment-matrix';
import { crossPlatformEnds, segmentMemberPaths } from '../segment-members';

/** At which level a reachability change is seen. */
export type DiffLevel = 'segment' | 'workload';

/** A rule of the "after" side that makes a change happen, with the flows the library recorded on it. */
export interface ResponsibleRule {
  /** Terraform address (`stack:type.name`). */
  readonly address: string;
  /** The rule's construct path. */
  readonly constructPath?: string;
  /** What the rule says. */
  readonly summary: string;
}

/** Traffic from one endpoint to another that became allowed (opened) or stopped being allowed (closed). */
export interface ReachabilityChange {
  /** Segment (or external peer) level, or workload level. */
  readonly level: DiffLevel;
  /** The source name. */
  readonly from: string;
  /** The destination name. */
  readonly to: string;
  /** The traffic that changed, ranges compressed (`tcp/4999`). */
  readonly ports: readonly string[];
  /** What was allowed before. */
  readonly before: readonly string[];
  /** What is allowed after. */
  readonly after: readonly string[];
  /** The AllowFlow and guardrail construct paths of the rules that decide the changed traffic after the change. */
  readonly flows: readonly string[];
  /** The rules that decide the changed traffic after the change. */
  readonly rules: readonly ResponsibleRule[];
  /**
   * For closed traffic, each enforcement point that stops it after the change, with its layer and the
   * deciding rule (`[aws-security-group] ingress of app/Db: no rule allows it` when a default deny
   * decides); empty for opened traffic.
   */
  readonly stoppedAt: readonly string[];
}

/** The reachability difference between two synthesized versions of an app. */
export interface ReachabilityDiff {
  /** Traffic that is allowed after and was not before, segments first. */
  readonly opened: readonly ReachabilityChange[];
  /** Traffic that was allowed before and is not after. */
  readonly closed: readonly ReachabilityChange[];
  /** Segment-level cells (source, destination) compared whose allowed traffic did not change. */
  readonly unchangedSegmentPairs: number;
  /** Workload pairs compared whose allowed traffic did not change. */
  readonly unchangedWorkloadPairs: number;
  /** Segment-level cells compared, changed or not. */
  readonly comparedSegmentPairs: number;
  /** Workload pairs compared, changed or not. */
  readonly comparedWorkloadPairs: number;
  /** Resources that changed, added and removed (reachability aside). */
  readonly resources: ResourceChangeCounts;
  /** Whether only the endpoints the changes touch were compared (false: every pair was). */
  readonly scoped: boolean;
  /** The member workloads (before and after) of each segment that a segment-level change names. */
  readonly members: Readonly<Record<string, readonly string[]>>;
}

/** Settings of the diff. */
export interface DiffOptions extends EvaluateOptions {
  /** Compare every pair, not only those with an end a changed resource touches (slower; the same result). @default false */
  readonly compareEveryPair?: boolean;
}

/** Reports how far a long computation is: `done` of `total` steps. */
export type ProgressSink = (done: number, total: number) => void;

/**
 * Every (source, destination, traffic) that becomes allowed or denied between two synthesized
 * versions, at segment level and at workload level (each with the external peers rules name),
 * with the rules and flows responsible on the "after" side. Only pairs with an endpoint that a
 * changed resource touches are evaluated; a change that may touch anything (a network ACL, an NSG
 * rule without groups) compares every pair.
 */
export function diffReachability(
  before: TerraformModel, after: TerraformModel, options: DiffOptions = {}, progress?: ProgressSink,
): ReachabilityDiff {
  const estates = { before: estateOf(before), after: estateOf(after) };
  const renames = identityRenames(estates.before.inventory, estates.after.inventory);
  const sides = { before: renamedSide(reachabilitySide(estates.before, options), renames), after: reachabilitySide(estates.after, options) };
  const { changes, segmentNames, workloadNames, segmentPairs, workloadPairs, everything } = changedPairs(sides, options);
  const total = segmentPairs.length + workloadPairs.length;
  let done = 0;
  const tick = () => { done++; if (progress && (done % 200 === 0 || done === total)) progress(done, total); };

  const opened: ReachabilityChange[] = [];
  const closed: ReachabilityChange[] = [];
  let unchangedSegmentPairs = 0;
  let unchangedWorkloadPairs = 0;
  const compare = (level: DiffLevel, [from, to]: [string, string]) => {
    const was = sides.before.allowed(level, from, to);
    const is = sides.after.allowed(level, from, to);
    tick();
    const gained = subtractTraffic(is, was);
    const lost = subtractTraffic(was, is);
    if (isNoTraffic(gained) && isNoTraffic(lost)) return level === 'segment' ? unchangedSegmentPairs++ : unchangedWorkloadPairs++;
    const describe = (traffic: Traffic, list: ReachabilityChange[], deciding: 'allowed' | 'denied') => {
      if (isNoTraffic(traffic)) return;
      const responsible = sides.after.responsible(level, from, to, traffic, deciding);
      list.push({ level, from, to, ports: formatTraffic(traffic), before: formatTraffic(was), after: formatTraffic(is), ...responsible });
    };
    describe(gained, opened, 'allowed');
    describe(lost, closed, 'denied');
    return undefined;
  };
  segmentPairs.forEach((pair) => compare('segment', pair));
  workloadPairs.forEach((pair) => compare('workload', pair));
  const members: Record<string, string[]> = {};
  for (const change of [...opened, ...closed]) {
    for (const name of [change.from, change.to]) {
      if (change.level !== 'segment' || members[name] || !segmentNames.includes(name)) continue;
      members[name] = workloadNames.filter((workload) => sides.before.memberOf(workload, name) || sides.after.memberOf(workload, name));
    }
  }
  return {
    opened,
    closed,
    unchangedSegmentPairs,
    unchangedWorkloadPairs,
    comparedSegmentPairs: segmentPairs.length,
    comparedWorkloadPairs: workloadPairs.length,
    resources: changes.counts,
    scoped: !everything,
    members,
  };
}

/** What decides a change on the "after" side. */
export interface Responsible {
  /** AllowFlow and guardrail construct paths of the deciding rules. */
  readonly flows: string[];
  /** The deciding rules. */
  readonly rules: ResponsibleRule[];
  /** For denied traffic, where it stops. */
  readonly stoppedAt: string[];
}

/** One version of the app, with the endpoints it names and its evaluations cached. */
export interface ReachabilitySide {
  /** The estate of this version. */
  readonly estate: Estate;
  /** Segment endpoints by construct path. */
  readonly segments: ReadonlyMap<string, Endpoint>;
  /** External peers (CIDRs, prefix lists, service tags) the rules name. */
  readonly peers: ReadonlyMap<string, Endpoint>;
  /** Workload endpoints by construct path (workloads with no interface and no address left out). */
  readonly workloads: ReadonlyMap<string, Endpoint>;
  /** Whether the segment or workload carries one of the resource keys. */
  touches(name: string, keys: ReadonlySet<string>): boolean;
  /** Whether the workload is a member of the segment. */
  memberOf(workload: string, segment: string): boolean;
  /** The traffic allowed from one named endpoint to another (none when either is not in this version). */
  allowed(level: DiffLevel, from: string, to: string): Traffic;
  /** The rules and flows that decide the traffic, allowing or denying it. */
  responsible(level: DiffLevel, from: string, to: string, traffic: Traffic, deciding: 'allowed' | 'denied'): Responsible;
}

/** One version of the app ready to answer reachability questions, its evaluations cached. */
export function reachabilitySide(estate: Estate, options: EvaluateOptions): ReachabilitySide {
  const layers = layersOf(estate, options);
  const segments = new Map(segmentEndpoints(estate).map((endpoint) => [endpoint.name, endpoint]));
  const peers = new Map(externalPeers(estate).map((endpoint) => [endpoint.name, endpoint]));
  const workloads = new Map<string, Endpoint>();
  for (const path of [...estate.inventory.workloads.keys()].sort()) {
    try {
      const endpoint = resolveEndpoint(estate, path);
      workloads.set(path, endpoint);
    } catch {
      // a workload with no interface and no address in this version: nothing reaches it
    }
  }
  const members = new Map<string, Set<string>>();
  const membersOf = (segment: string) => {
    let set = members.get(segment);
    if (!set) {
      set = new Set(estate.inventory.segments.has(segment) ? segmentMemberPaths(estate, segment) : []);
      members.set(segment, set);
    }
    return set;
  };
  // every change asks every endpoint which resources it carries: worked out once per endpoint
  const keysByEndpoint = new Map<string, ReadonlySet<string> | undefined>();
  const carriedKeys = (name: string): ReadonlySet<string> | undefined => {
    if (keysByEndpoint.has(name)) return keysByEndpoint.get(name);
    const endpoint = segments.get(name) ?? workloads.get(name);
    const binding = estate.inventory.workloads.get(name)?.bindingKey;
    const keys = endpoint && new Set([
      ...estate.inventory.segments.get(name)?.groupKeys ?? [],
      ...binding ? [binding] : [],
      ...endpoint.hosts.flatMap((host) => hostKeys(host)),
    ]);
    keysByEndpoint.set(name, keys);
    return keys;
  };
  const endpointOf = (level: DiffLevel, name: string): Endpoint | undefined => (level === 'workload' ? workloads.get(name) : segments.get(name)) ?? peers.get(name) ?? literalPeer(estate, name);
  const cache = new Map<string, Traffic>();
  const ruleExpressions = expressionsInRules(estate);
  const signatures = new WeakMap<Endpoint, string>();
  const signature = (endpoint: Endpoint) => {
    let text = signatures.get(endpoint);
    if (text === undefined) {
      text = endpoint.hosts.map((host) => hostSignature(host, ruleExpressions)).join('\u0001');
      signatures.set(endpoint, text);
    }
    return text;
  };
  return {
    estate,
    segments,
    peers,
    workloads,
    touches: (name, keys) => {
      const carried = carriedKeys(name);
      if (!carried) return false;
      const [small, large] = carried.size <= keys.size ? [carried, keys] : [keys, carried];
      for (const key of small) if (large.has(key)) return true;
      return false;
    },
    memberOf: (workload, segment) => membersOf(segment).has(workload),
    allowed: (level, fromName, toName) => {
      const from = endpointOf(level, fromName);
      const to = endpointOf(level, toName);
      if (!from || !to) return NO_TRAFFIC;
      const [a, b] = crossPlatformEnds(estate, from, to);
      const key = `${signature(a)}\u0000${signature(b)}`;
      let traffic = cache.get(key);
      if (!traffic) {
        const paths = evaluateEndpoints(layers, a, b, ALL_TRAFFIC);
        traffic = paths.length === 0 ? NO_TRAFFIC : paths.reduce((passing, path) => intersectTraffic(passing, path.allowedTraffic), ALL_TRAFFIC);
        cache.set(key, traffic);
      }
      return traffic;
    },
    responsible: (level, fromName, toName, traffic, deciding) => {
      const from = endpointOf(level, fromName);
      const to = endpointOf(level, toName);
      if (!from || !to) return { flows: [], rules: [], stoppedAt: deciding === 'denied' ? [`${from ? toName : fromName} is not in this version`] : [] };
      const [a, b] = crossPlatformEnds(estate, from, to);
      const paths = evaluateEndpoints(layers, a, b, traffic);
      const rules = new Map<string, DecidingRule>();
      const stoppedAt = new Set<string>();
      for (const path of paths) {
        for (const point of path.layers) {
          const relevant = deciding === 'allowed' ? point.status === 'allowed' : point.status === 'denied';
          if (!relevant) continue;
          point.decidingRules.forEach((rule) => rules.set(rule.address, rule));
          if (deciding === 'denied') stoppedAt.add(stopLine(point));
        }
      }
      const list = [...rules.values()];
      const flows = [...new Set(list.flatMap((rule) => [...rule.flows, ...(rule.guardrails ?? [])]))].sort();
      const responsibleRules = list.map((rule) => ({ address: rule.address, constructPath: rule.constructPath, summary: rule.summary }));
      return { flows, rules: responsibleRules, stoppedAt: [...stoppedAt] };
    },
  };
}

/** Where traffic stops and why: the layer, the point and its deciding rule (or that no rule allows it). */
function stopLine(point: LayerVerdict): string {
  const rules = point.decidingRules.map((rule) => `${rule.address}${rule.constructPath ? ` (${rule.constructPath})` : ''}: ${rule.summary}`);
  return `[${point.layer}] ${point.point}: ${rules.length > 0 ? rules.join('; ') : 'no rule allows it'}`;
}

function literalPeer(estate: Estate, name: string): Endpoint | undefined {
  try {
    return resolveEndpoint(estate, name);
  } catch {
    return undefined;
  }
}

/**
 * What decides a host's verdicts, without its name, in a fixed field order: hosts with equal
 * signatures get equal verdicts (a workload and the hypothetical member of its only segment often do).
 * A symbolic address counts only when some rule holds that expression: only then can it match.
 */
function hostSignature(host: Host, ruleExpressions: string): string {
  return JSON.stringify([
    host.ranges, host.symbolicAddresses.filter((address) => ruleExpressions.includes(address)), host.namedPeer ?? null,
    ...PLATFORMS.all.map((platform) => platform.signature(host)),
  ]);
}

/** The texts of every unresolved expression the rules and groups of the estate hold, joined. */
function expressionsInRules(estate: Estate): string {
  const texts: string[] = [];
  const visit = (stack: string, value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return;
      for (const resolved of estate.resolver.values(stack, value)) if (resolved.kind !== 'literal') texts.push(textOf(resolved));
    } else if (Array.isArray(value)) {
      value.forEach((item) => visit(stack, item));
    } else if (value && typeof value === 'object') {
      Object.entries(value).forEach(([key, inner]) => { if (key !== '//' && !key.endsWith('_id')) visit(stack, inner); });
    }
  };
  for (const resource of estate.model.resources) {
    if (PLATFORMS.addressRuleTypes.has(resource.type)) visit(resource.stack, resource.body);
  }
  return texts.join('\n');
}

/** Keys of the resources a host's platform entries name (groups, interface, subnet, NSGs, VM). */
function hostKeys(host: Host): string[] {
  return PLATFORMS.all.flatMap((platform) => platform.keysOf(host));
}

/**
 * The (from, to) pairs to compare, sorted: for each scope, pairs whose two ends it touches when it
 * names a group on each side, else pairs with one end it touches (the other any endpoint or
 * external peer).
 */
/** Endpoints a change touches, and whether a touched pair needs both of its ends among them. */
interface PairScope {
  readonly ends: ReadonlySet<string>;
  readonly bothEnds: boolean;
}

/** The pairs a change between two versions may change the traffic of (see {@link diffReachability}). */
export interface ChangedPairs {
  /** The resources that changed. */
  readonly changes: ResourceChanges;
  /** Every segment of either version, sorted. */
  readonly segmentNames: string[];
  /** Every workload of either version, sorted. */
  readonly workloadNames: string[];
  /** The (source, destination) segment-level pairs to compare, peers included. */
  readonly segmentPairs: [string, string][];
  /** The workload-level pairs to compare, peers included. */
  readonly workloadPairs: [string, string][];
  /** Whether every pair is compared (a change that may touch anything). */
  readonly everything: boolean;
}

/**
 * The pairs with an end that a changed resource between the two sides touches: only their traffic
 * can differ, also at any moment between the two versions (each such moment holds some of the
 * changes only). Every pair when a change may touch anything.
 */
export function changedPairs(sides: { before: ReachabilitySide; after: ReachabilitySide }, options: DiffOptions = {}): ChangedPairs {
  const changes = resourceChanges(sides.before.estate, sides.after.estate);
  const segmentNames = unionSorted(sides.before.segments.keys(), sides.after.segments.keys());
  const peerNames = unionSorted(sides.before.peers.keys(), sides.after.peers.keys());
  const workloadNames = unionSorted(sides.before.workloads.keys(), sides.after.workloads.keys());
  const carriers = (names: readonly string[], keys: ReadonlySet<string>, segments?: ReadonlySet<string>) => new Set(names.filter((name) =>
    sides.before.touches(name, keys) || sides.after.touches(name, keys)
    || [...(segments ?? [])].some((segment) => sides.before.memberOf(name, segment) || sides.after.memberOf(name, segment))));
  // what each change can touch: its carriers (segments, then workloads, members of those segments included)
  const scopes = [
    ...changes.scopes.map((scope) => {
      const segments = carriers(segmentNames, scope.keys);
      return { segments, workloads: carriers(workloadNames, scope.keys, segments), bothEnds: scope.bothEnds };
    }),
    {
      segments: new Set(segmentNames.filter((name) => changes.touchedNames.has(name))),
      workloads: new Set(workloadNames.filter((name) => changes.touchedNames.has(name))),
      bothEnds: false,
    },
  ];
  // a change that no endpoint carries (a group no segment uses, a nested group) may touch anything
  const everything = changes.global || options.compareEveryPair === true
    || scopes.slice(0, -1).some((scope) => scope.segments.size === 0 && scope.workloads.size === 0);
  const segmentScopes: PairScope[] = everything ? [{ ends: new Set(segmentNames), bothEnds: false }]
    : scopes.map((scope) => ({ ends: scope.segments, bothEnds: scope.bothEnds }));
  const workloadScopes: PairScope[] = everything ? [{ ends: new Set(workloadNames), bothEnds: false }]
    : scopes.map((scope) => ({ ends: scope.workloads, bothEnds: scope.bothEnds }));
  const segmentPairs = pairs(segmentNames, peerNames, segmentScopes);
  const workloadPairs = pairs(workloadNames, peerNames, workloadScopes);
  return { changes, segmentNames, workloadNames, segmentPairs, workloadPairs, everything };
}

function pairs(names: readonly string[], peers: readonly string[], scopes: readonly PairScope[]): [string, string][] {
  const keys = new Set<string>();
  const everyone = [...names, ...peers];
  const isPeer = new Set(peers);
  for (const scope of scopes) {
    for (const end of scope.ends) {
      for (const other of scope.bothEnds ? scope.ends : everyone) {
        keys.add(`${end}\u0000${other}`);
        keys.add(`${other}\u0000${end}`);
      }
    }
  }
  const order = new Map(everyone.map((name, index) => [name, index]));
  return [...keys]
    .map((key) => key.split('\u0000') as [string, string])
    .filter(([from, to]) => !(isPeer.has(from) && isPeer.has(to)))
    .sort((a, b) => (order.get(a[0])! - order.get(b[0])!) || (order.get(a[1])! - order.get(b[1])!));
}

function unionSorted(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort();
}
