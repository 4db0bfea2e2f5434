// The `"//".microseg` provenance: what the renderers write into the synthesized Terraform JSON for the
// evaluator, and how the evaluator reads it back. Both sides import this module and nothing else of each
// other. It imports nothing (no cdktf, no provider package), so the evaluator that reads it stays a
// reader of JSON only.

/**
 * Version of the provenance format, written into each stack's inventory (`"//".microseg.version`).
 * A rule's provenance has no version of its own: the stack's version covers every resource in it.
 * Raise it when a change would make an older evaluator misread the JSON, not for additions it ignores.
 */
export const PROVENANCE_VERSION = 1;

/** The cdktf override path of the provenance: `"//"` is the comment key Terraform ignores. */
export const PROVENANCE_OVERRIDE_PATH = '//.microseg';

/** What can carry a stack's inventory: a cdktf stack (anything with `addOverride`). */
export interface ProvenanceTarget {
  /** cdktf's escape hatch that writes `value` at `path` in the synthesized JSON. */
  addOverride(path: string, value: unknown): void;
}

/** What a rendered rule records about the intent it serves. */
export interface RuleProvenance {
  /** Construct paths of the AllowFlows (or GuardrailAllows) the rule serves; written as given, left out when undefined. */
  readonly flows?: readonly string[];
  /** Construct paths of the guardrails (DenyFlows) a deny rule serves. */
  readonly guardrails?: readonly string[];
  /** Whether the rule is the allow rule of a GuardrailAllow (guardrail tier). */
  readonly guardrail?: boolean;
  /** Whether the rule is one of the rules that make an enforcement default-deny. */
  readonly defaultDeny?: boolean;
}

/** A rule's provenance as the evaluator reads it: every field present, lists empty when not recorded. */
export interface RecordedRuleProvenance {
  /** Construct paths of the flows the rule serves. */
  readonly flows: readonly string[];
  /** Construct paths of the guardrails the rule serves. */
  readonly guardrails: readonly string[];
  /** Whether the rule is a GuardrailAllow's allow rule. */
  readonly guardrail: boolean;
  /** Whether the rule is a default-deny rule. */
  readonly defaultDeny: boolean;
}

/** A segment in a stack's inventory. */
export interface SegmentProvenance {
  /** The segment's label selector. */
  readonly selector: Readonly<Record<string, string>>;
  /** Terraform addresses (in this stack) of the groups rendered for it. */
  readonly groups: readonly string[];
  /**
   * The identity its rendered resources derive from, when its `stableId` gives one other than its
   * construct path: a segment renamed or moved that keeps it is the same segment.
   * @default - its construct path
   */
  readonly stableId?: string;
}

/** A workload in a stack's inventory. */
export interface WorkloadProvenance {
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Construct paths of the segments it belongs to. */
  readonly segments: readonly string[];
  /** Terraform address (in this stack) of the bound resource; absent for address-only hosts. */
  readonly binding?: string;
  /** Its literal addresses (CIDRs or IPs). */
  readonly addresses: readonly string[];
  /**
   * The identity its rendered resources derive from, when its `stableId` gives one other than its
   * construct path: a workload renamed or moved that keeps it is the same workload.
   * @default - its construct path
   */
  readonly stableId?: string;
}

/** A stack's inventory: the names the evaluator needs; membership itself comes from the resources. */
export interface StackProvenance {
  /** {@link PROVENANCE_VERSION} of the library that wrote it. */
  readonly version: number;
  /** Segments by construct path. */
  readonly segments: Readonly<Record<string, SegmentProvenance>>;
  /** Workloads by construct path. */
  readonly workloads: Readonly<Record<string, WorkloadProvenance>>;
  /** Subnet CIDRs by subnet id or expression (network ACL layer); absent when there are none. */
  readonly subnets?: Readonly<Record<string, string>>;
  /**
   * The clients' ephemeral ports (`49152-65535`) the network ACLs of a subnet let return traffic
   * reach, by subnet id or expression, where the enforcement declares a range other than the
   * default 1024-65535; absent when none does.
   */
  readonly ephemeralPorts?: Readonly<Record<string, string>>;
}

/** A stack's inventory as the evaluator reads it. */
export interface StackProvenanceReading {
  /** The version the stack declares, if it has an inventory. */
  readonly version?: number;
  /** Why this reader cannot read the stack's provenance (a version it does not know); undefined when it can. */
  readonly unsupported?: string;
  /** Segments by construct path (empty when unsupported or absent). */
  readonly segments: ReadonlyMap<string, SegmentProvenance>;
  /** Workloads by construct path (empty when unsupported or absent). */
  readonly workloads: ReadonlyMap<string, WorkloadProvenance>;
  /** Subnet CIDRs by subnet id or expression (empty when unsupported or absent). */
  readonly subnets: ReadonlyMap<string, string>;
  /** Declared ephemeral port ranges (`49152-65535`) by subnet id or expression (empty when unsupported or absent). */
  readonly ephemeralPorts: ReadonlyMap<string, string>;
}

/** A rule's provenance as written: the lists as given (not copied), fields in a fixed order, absent ones left out. */
export function ruleProvenanceJson(provenance: RuleProvenance): { [key: string]: unknown } {
  const json: { [key: string]: unknown } = {};
  if (provenance.flows !== undefined) json.flows = provenance.flows;
  if (provenance.guardrails !== undefined) json.guardrails = provenance.guardrails;
  if (provenance.guardrail) json.guardrail = true;
  if (provenance.defaultDeny) json.defaultDeny = true;
  return json;
}

/**
 * Writes a stack's inventory: a {@link StackProvenance}, or a cdktf lazy value that produces one at
 * synthesis (the inventory grows while the app is built).
 */
export function writeStackProvenance(stack: ProvenanceTarget, inventory: unknown): void {
  stack.addOverride(PROVENANCE_OVERRIDE_PATH, inventory);
}

/** Reads the provenance of one resource body (`{ "//": { "microseg": ... }, ...}`); empty when it has none. */
export function readProvenance(resourceBody: unknown): RecordedRuleProvenance {
  const section = provenanceSection(resourceBody);
  return {
    flows: strings(section.flows),
    guardrails: strings(section.guardrails),
    guardrail: section.guardrail === true,
    defaultDeny: section.defaultDeny === true,
  };
}

/**
 * Reads a stack's inventory. A stack without one reads as empty. A version other than
 * {@link PROVENANCE_VERSION} is not guessed at: the reading is empty and `unsupported` says why.
 */
export function readStackProvenance(stackJson: unknown): StackProvenanceReading {
  const section = provenanceSection(stackJson);
  const empty = { segments: new Map(), workloads: new Map(), subnets: new Map(), ephemeralPorts: new Map() };
  if (Object.keys(section).length === 0) return empty;
  const version = section.version;
  const unsupported = unsupportedVersion(version);
  if (unsupported !== undefined) return { ...empty, ...(typeof version === 'number' ? { version } : {}), unsupported };
  const segments = new Map<string, SegmentProvenance>();
  for (const [path, raw] of Object.entries(object(section.segments))) {
    const entry = object(raw);
    segments.set(path, { selector: stringRecord(entry.selector), groups: strings(entry.groups), ...stableIdOf(entry) });
  }
  const workloads = new Map<string, WorkloadProvenance>();
  for (const [path, raw] of Object.entries(object(section.workloads))) {
    const entry = object(raw);
    workloads.set(path, {
      labels: stringRecord(entry.labels),
      segments: strings(entry.segments),
      ...(typeof entry.binding === 'string' ? { binding: entry.binding } : {}),
      addresses: strings(entry.addresses),
      ...stableIdOf(entry),
    });
  }
  return {
    version: PROVENANCE_VERSION,
    segments,
    workloads,
    subnets: new Map(Object.entries(stringRecord(section.subnets))),
    ephemeralPorts: new Map(Object.entries(stringRecord(section.ephemeralPorts))),
  };
}

/**
 * Why this reader cannot read a stack's inventory ({@link StackProvenanceReading.unsupported}),
 * without reading the inventory itself; undefined when it can or the stack has none.
 */
export function stackProvenanceUnsupported(stackJson: unknown): string | undefined {
  const section = provenanceSection(stackJson);
  return Object.keys(section).length === 0 ? undefined : unsupportedVersion(section.version);
}

function unsupportedVersion(version: unknown): string | undefined {
  if (version === PROVENANCE_VERSION) return undefined;
  const found = typeof version === 'number' ? `version ${version}` : `no version (${JSON.stringify(version ?? null)})`;
  return `its "//".microseg provenance has ${found}, and this evaluator reads version ${PROVENANCE_VERSION} only: `
    + 'evaluate it with the cdktf-microseg release that synthesized it, or synthesize it again with this one';
}

/** The `stableId` field of an entry, when it is a string other than nothing. */
function stableIdOf(entry: { [key: string]: unknown }): { stableId?: string } {
  return typeof entry.stableId === 'string' && entry.stableId !== '' ? { stableId: entry.stableId } : {};
}

function provenanceSection(json: unknown): { [key: string]: unknown } {
  return object(object(object(json)['//']).microseg);
}

function object(value: unknown): { [key: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as { [key: string]: unknown } : {};
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

function stringRecord(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(object(value)).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** One rule of a host firewall rule set, in the order the host evaluates it (first match). */
export interface HostFirewallRuleProvenance {
  /** `in` (traffic reaching the host) or `out` (traffic the host sends). */
  readonly direction: 'in' | 'out';
  /** What the rule does with matching traffic. */
  readonly action: 'accept' | 'drop';
  /** The other end's addresses (CIDRs or Terraform expressions); absent: any address. */
  readonly peers?: readonly string[];
  /** The host's own end as the rule restricts it (a CIDR), when it does. */
  readonly local?: string;
  /** The traffic, as port keys (`tcp/443`, `udp/5000-5010`, `icmp/8/-1`, `all`). */
  readonly ports: readonly string[];
  /** Construct paths of the AllowFlows (or GuardrailAllows) the rule serves. */
  readonly flows: readonly string[];
  /** Construct paths of the DenyFlows the rule serves. */
  readonly guardrails: readonly string[];
}

/**
 * The rule set a host firewall delivery resource carries (`"//".microseg.hostFirewall`): the
 * workload, its flavor, its own addresses and its rules in evaluation order, after the rules every
 * flavor has (established and related traffic, loopback) and before the default drop.
 */
export interface HostFirewallProvenance {
  /** Construct path of the workload the rule set protects. */
  readonly workload: string;
  /** `nftables`, `iptables` or `windows`. */
  readonly flavor: string;
  /** The workload's own addresses (CIDRs or Terraform expressions). */
  readonly addresses: readonly string[];
  /** The rules, in evaluation order. */
  readonly rules: readonly HostFirewallRuleProvenance[];
}

/** Reads the host firewall rule set a resource body carries, if it carries one. */
export function readHostFirewallProvenance(resourceBody: unknown): HostFirewallProvenance | undefined {
  const raw = object(provenanceSection(resourceBody).hostFirewall);
  if (typeof raw.workload !== 'string' || typeof raw.flavor !== 'string') return undefined;
  const rules = (Array.isArray(raw.rules) ? raw.rules : []).map((item): HostFirewallRuleProvenance => {
    const rule = object(item);
    return {
      direction: rule.direction === 'out' ? 'out' : 'in',
      action: rule.action === 'accept' ? 'accept' : 'drop',
      ...(Array.isArray(rule.peers) ? { peers: strings(rule.peers) } : {}),
      ...(typeof rule.local === 'string' ? { local: rule.local } : {}),
      ports: strings(rule.ports),
      flows: strings(rule.flows),
      guardrails: strings(rule.guardrails),
    };
  });
  return { workload: raw.workload, flavor: raw.flavor, addresses: strings(raw.addresses), rules };
}
