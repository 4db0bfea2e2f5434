import { familyOf } from './cidr';
import { aggregateCidrs, prefixContains } from './cidr-aggregate';
import { PortSpec, mergePortSpecs, portKey } from './port-range';
import { mergeBucket } from './rule-bucket';

/** An inclusive port range used by return traffic. */
export interface EphemeralRange {
  /** First port. */
  readonly from: number;
  /** Last port. */
  readonly to: number;
}

/** ICMP request types and the type of their reply (RFC 792 / RFC 4443). */
const ICMP_REPLIES: Record<string, Record<number, number>> = {
  icmp: { 8: 0, 13: 14, 15: 16, 17: 18 },
  icmpv6: { 128: 129 },
};

/**
 * What a stateless filter must let back for a request on `spec`: TCP and UDP replies go to the
 * client's ephemeral ports, `all` comes back as `all`, an ICMP request comes back as its reply
 * type (echo 8 as echo reply 0), any ICMP as any ICMP. ICMP types that have no reply (destination
 * unreachable, time exceeded...) need no return rule.
 */
export function returnSpecs(spec: PortSpec, ephemeral: EphemeralRange): PortSpec[] {
  switch (spec.protocol) {
    case 'all': return [spec];
    case 'tcp':
    case 'udp': return [{ protocol: spec.protocol, from: ephemeral.from, to: ephemeral.to }];
    default: {
      if (spec.from === -1) return [{ protocol: spec.protocol, from: -1, to: -1 }];
      const reply = ICMP_REPLIES[spec.protocol][spec.from];
      return reply === undefined ? [] : [{ protocol: spec.protocol, from: reply, to: 0 }];
    }
  }
}

/** One stateless rule of an ACL and direction, before rule numbers. */
export interface StatelessRule {
  /** Identity of the other side (`cidr:10.0.1.0/24`, or `addr:<path>#0` for an expression). */
  readonly peerKey: string;
  /** The CIDR (or Terraform expression) of the other side. */
  readonly cidr: string;
  /** The ports. */
  readonly spec: PortSpec;
  /** Construct paths of the flows the rule serves, sorted. */
  readonly flows: string[];
}

/** Whether `peerKey` names a literal CIDR (as opposed to a Terraform expression). */
export function isLiteralPeer(rule: { readonly peerKey: string }): boolean {
  return rule.peerKey.startsWith('cidr:');
}

/** The address family a rule counts against; expressions count as IPv4. */
export function ruleFamily(rule: { readonly peerKey: string; readonly cidr: string }): 'ipv4' | 'ipv6' {
  return isLiteralPeer(rule) && familyOf(rule.cidr) === 'ipv6' ? 'ipv6' : 'ipv4';
}

/**
 * Shrinks a rule set without changing what it allows: rules with the same ports merge their CIDRs
 * (contained ones drop out, siblings join), rules with the same CIDR merge their ports, and a rule
 * covered by another (CIDR and ports) drops out, until nothing changes. Used only when the plain
 * rule set overflows the quota, since a merged rule has a new identity (a replaced rule).
 */
export function aggregateRules(rules: readonly StatelessRule[]): StatelessRule[] {
  let current = sortRules([...rules]);
  for (;;) {
    const next = sortRules(dropCovered(mergePortsPerPeer(mergeCidrsPerPorts(current))));
    if (JSON.stringify(next) === JSON.stringify(current)) return current;
    current = next;
  }
}

function mergeCidrsPerPorts(rules: StatelessRule[]): StatelessRule[] {
  const out: StatelessRule[] = rules.filter((r) => !isLiteralPeer(r));
  const byPorts = new Map<string, StatelessRule[]>();
  for (const rule of rules.filter(isLiteralPeer)) {
    const key = portKey(rule.spec);
    byPorts.set(key, [...(byPorts.get(key) ?? []), rule]);
  }
  for (const group of byPorts.values()) {
    for (const cidr of aggregateCidrs(group.map((r) => r.cidr))) {
      const flows = group.filter((r) => prefixContains(cidr, r.cidr)).flatMap((r) => r.flows);
      out.push({ peerKey: `cidr:${cidr}`, cidr, spec: group[0].spec, flows: [...new Set(flows)].sort() });
    }
  }
  return out;
}

function mergePortsPerPeer(rules: StatelessRule[]): StatelessRule[] {
  const byPeer = new Map<string, StatelessRule[]>();
  for (const rule of rules) byPeer.set(rule.peerKey, [...(byPeer.get(rule.peerKey) ?? []), rule]);
  const out: StatelessRule[] = [];
  for (const group of byPeer.values()) {
    const merged = mergeBucket(group.flatMap((r) => r.flows.map((flow) => ({ spec: r.spec, flow }))));
    for (const rule of merged) out.push({ peerKey: group[0].peerKey, cidr: group[0].cidr, spec: rule.spec, flows: rule.flows });
  }
  return out;
}

function dropCovered(rules: StatelessRule[]): StatelessRule[] {
  const coverer = (rule: StatelessRule, index: number) =>
    rules.findIndex((other, j) => j !== index && covers(other, rule) && (!covers(rule, other) || j < index));
  const flows = rules.map((r) => new Set(r.flows));
  const kept: number[] = [];
  rules.forEach((rule, index) => {
    const j = coverer(rule, index);
    if (j === -1) kept.push(index);
    else rule.flows.forEach((f) => flows[j].add(f));
  });
  return kept.map((i) => ({ ...rules[i], flows: [...flows[i]].sort() }));
}

function covers(outer: StatelessRule, inner: StatelessRule): boolean {
  const sameOrWider = outer.peerKey === inner.peerKey
    || (isLiteralPeer(outer) && isLiteralPeer(inner) && familyOf(outer.cidr) === familyOf(inner.cidr) && prefixContains(outer.cidr, inner.cidr));
  if (!sameOrWider) return false;
  return portKey(mergePortSpecs([outer.spec, inner.spec])[0]) === portKey(outer.spec) && mergePortSpecs([outer.spec, inner.spec]).length === 1;
}

function sortRules(rules: StatelessRule[]): StatelessRule[] {
  const key = (r: StatelessRule) => `${r.peerKey}|${portKey(r.spec)}`;
  return rules.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
