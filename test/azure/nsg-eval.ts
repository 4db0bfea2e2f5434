import { cidrContains, familyOf } from '../../lib/model/cidr';

/**
 * A small reachability evaluator for the Azure NSG layer of one synthesized stack, used by the
 * Azure tests until the shared evaluator (lib/verify) offers its jest matchers. It reads only the
 * synthesized Terraform JSON and applies Azure's semantics (platforms.md): outbound the NIC NSG then
 * the subnet NSG, inbound the subnet NSG then the NIC NSG, both levels must allow, a level without
 * NSG allows; in each NSG first match by ascending priority, Azure's default rules at 65000-65500
 * included (they allow intra-VNet traffic).
 */

/** One end of a packet: a NIC by Terraform name, or a host outside the VNet by IP (or a service tag). */
export type End = { readonly nic: string } | { readonly ip: string } | { readonly tag: string };

/** The verdict on one packet, with the rule that decided at each NSG. */
export interface Verdict {
  readonly allowed: boolean;
  readonly trace: string[];
}

interface Rule {
  name: string;
  priority: number;
  direction: string;
  access: string;
  protocol: string;
  destination_port_range?: string;
  destination_port_ranges?: string[];
  source_address_prefix?: string;
  source_address_prefixes?: string[];
  source_application_security_group_ids?: string[];
  destination_address_prefix?: string;
  destination_address_prefixes?: string[];
  destination_application_security_group_ids?: string[];
}

interface Side {
  ip?: string;
  tag?: string;
  asgs: string[];
  nsgs: string[]; // NSG Terraform names: NIC NSG first, then subnet NSG
}

const DEFAULTS: Rule[] = [
  { name: 'AllowVNetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', protocol: '*', source_address_prefix: 'VirtualNetwork', destination_address_prefix: 'VirtualNetwork', destination_port_range: '*' },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', protocol: '*', source_address_prefix: 'AzureLoadBalancer', destination_address_prefix: '*', destination_port_range: '*' },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', protocol: '*', source_address_prefix: '*', destination_address_prefix: '*', destination_port_range: '*' },
  { name: 'AllowVnetOutBound', priority: 65000, direction: 'Outbound', access: 'Allow', protocol: '*', source_address_prefix: 'VirtualNetwork', destination_address_prefix: 'VirtualNetwork', destination_port_range: '*' },
  { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', protocol: '*', source_address_prefix: '*', destination_address_prefix: 'Internet', destination_port_range: '*' },
  { name: 'DenyAllOutBound', priority: 65500, direction: 'Outbound', access: 'Deny', protocol: '*', source_address_prefix: '*', destination_address_prefix: '*', destination_port_range: '*' },
];

/** Decides whether `json` (one stack's cdk.tf.json, parsed) lets a packet from `from` reach `to`. */
export function azureVerdict(json: any, from: End, to: End, protocol: 'Tcp' | 'Udp' | 'Icmp', port: number): Verdict {
  const resources = json.resource ?? {};
  const vnetSpace: string[] = Object.values<any>(resources.azurerm_virtual_network ?? {}).flatMap((v) => v.address_space ?? []);
  const rulesByNsg = new Map<string, Rule[]>();
  for (const rule of Object.values<any>(resources.azurerm_network_security_rule ?? {})) {
    if (!isLocalRef(rule.network_security_group_name)) continue; // a rule of another stack's NSG
    const nsg = refName(rule.network_security_group_name);
    rulesByNsg.set(nsg, [...(rulesByNsg.get(nsg) ?? []), rule]);
  }
  for (const [nsg, rules] of rulesByNsg) {
    const seen = new Set<string>();
    for (const rule of rules) {
      const key = `${rule.direction}/${rule.priority}`;
      if (seen.has(key)) throw new Error(`NSG ${nsg}: two ${rule.direction} rules with priority ${rule.priority}`);
      seen.add(key);
    }
  }
  const src = side(resources, from);
  const dst = side(resources, to);
  const trace: string[] = [];
  const check = (nsg: string, direction: string): boolean => {
    const rules = [...(rulesByNsg.get(nsg) ?? []).filter((r) => r.direction === direction), ...DEFAULTS.filter((r) => r.direction === direction)]
      .sort((a, b) => a.priority - b.priority);
    const hit = rules.find((r) => matches(r, src, dst, protocol, port, vnetSpace))!;
    trace.push(`${nsg} ${direction}: ${hit.name} (${hit.priority}) ${hit.access}`);
    return hit.access === 'Allow';
  };
  let allowed = true;
  for (const nsg of src.nsgs) allowed = check(nsg, 'Outbound') && allowed;
  for (const nsg of [...dst.nsgs].reverse()) allowed = check(nsg, 'Inbound') && allowed;
  return { allowed, trace };
}

function side(resources: any, end: End): Side {
  if ('ip' in end) return { ip: end.ip, asgs: [], nsgs: [] };
  if ('tag' in end) return { tag: end.tag, asgs: [], nsgs: [] };
  const nic = resources.azurerm_network_interface?.[end.nic];
  if (!nic) throw new Error(`no azurerm_network_interface.${end.nic}`);
  const nicId = `\${azurerm_network_interface.${end.nic}.id}`;
  const ipConfig = nic.ip_configuration[0];
  const asgs = Object.values<any>(resources.azurerm_network_interface_application_security_group_association ?? {})
    .filter((a) => a.network_interface_id === nicId).map((a) => a.application_security_group_id);
  const nicNsgs = Object.values<any>(resources.azurerm_network_interface_security_group_association ?? {})
    .filter((a) => a.network_interface_id === nicId).map((a) => refName(a.network_security_group_id));
  const subnetNsgs = Object.values<any>(resources.azurerm_subnet_network_security_group_association ?? {})
    .filter((a) => a.subnet_id === ipConfig.subnet_id).map((a) => refName(a.network_security_group_id));
  if (nicNsgs.length > 1 || subnetNsgs.length > 1) throw new Error(`NIC ${end.nic} has more than one NSG per level`);
  return { ip: ipConfig.private_ip_address, asgs, nsgs: [...nicNsgs, ...subnetNsgs] };
}

function matches(rule: Rule, src: Side, dst: Side, protocol: string, port: number, vnet: string[]): boolean {
  if (rule.protocol !== '*' && rule.protocol !== protocol) return false;
  const ranges = rule.destination_port_ranges ?? [rule.destination_port_range ?? '*'];
  if (protocol !== 'Icmp' && !ranges.some((r) => portIn(r, port))) return false;
  return sideMatches(src, rule.source_address_prefix, rule.source_address_prefixes, rule.source_application_security_group_ids, vnet)
    && sideMatches(dst, rule.destination_address_prefix, rule.destination_address_prefixes, rule.destination_application_security_group_ids, vnet);
}

function sideMatches(end: Side, prefix: string | undefined, prefixes: string[] | undefined, asgs: string[] | undefined, vnet: string[]): boolean {
  if (asgs) return asgs.some((a) => end.asgs.includes(a));
  return (prefixes ?? [prefix ?? '*']).some((p) => prefixMatches(end, p, vnet));
}

function prefixMatches(end: Side, prefix: string, vnet: string[]): boolean {
  if (prefix === '*') return true;
  const inVnet = end.ip !== undefined && vnet.some((v) => ipIn(v, end.ip!));
  if (prefix === 'VirtualNetwork') return inVnet;
  if (prefix === 'Internet') return end.ip !== undefined && !inVnet;
  if (familyOf(prefix) === undefined) return end.tag === prefix; // a service tag or an unresolved expression
  return end.ip !== undefined && ipIn(prefix, end.ip);
}

function ipIn(cidr: string, ip: string): boolean {
  const c = cidr.includes('/') ? cidr : `${cidr}/32`;
  return familyOf(c) === familyOf(ip) && cidrContains(c, ip);
}

function portIn(range: string, port: number): boolean {
  if (range === '*') return true;
  const [from, to] = range.split('-').map(Number);
  return port >= from && port <= (to ?? from);
}

function isLocalRef(ref: string): boolean {
  return /^\$\{azurerm_[a-z_]+\.[^.]+\.[a-z_]+\}$/.test(ref);
}

/** `${azurerm_network_security_group.X.name}` or `.id` to `X`. */
function refName(ref: string): string {
  const m = /^\$\{[a-z_]+\.([^.]+)\.[a-z_]+\}$/.exec(ref);
  if (!m) throw new Error(`not a same-stack reference: ${ref}`);
  return m[1];
}
