import { readHostFirewallProvenance } from '../../../provenance/contract';
import type { Estate } from '../../estate/estate';
import { DecidingRule } from '../../layers/layer-verdict';
import { ruleOrigin } from '../../layers/rule-origin';
import { textOf } from '../../model/value';
import { RuleTraffic, exactRuleTraffic } from '../../net/rule-traffic';
import { ALL_TRAFFIC, NO_TRAFFIC, Traffic, icmpTraffic, protocolTraffic, unionTraffic } from '../../net/traffic';

/** The resource types that carry a host firewall rule set (its delivery). */
export const HOST_CARRIER_TYPES = ['aws_ssm_document', 'azurerm_virtual_machine_run_command', 'terraform_data'];

/** One rule of a host firewall as the evaluator reads it. */
export interface HostFirewallRule {
  readonly direction: 'in' | 'out';
  readonly action: 'allow' | 'deny';
  /** The other end's addresses, resolved to text; undefined: any address. */
  readonly peers?: readonly string[];
  /** The host's own end, when the rule restricts it. */
  readonly local?: string;
  /** The traffic the rule matches. */
  readonly traffic: RuleTraffic;
  /** How verdicts report it. */
  readonly origin: DecidingRule;
}

/** One workload's host firewall, read from its delivery resource. */
export interface HostFirewallFacts {
  /** Construct path of the protected workload. */
  readonly workload: string;
  /** `nftables`, `iptables` or `windows`. */
  readonly flavor: string;
  /** The workload's own addresses, resolved to text. */
  readonly addresses: readonly string[];
  /** The rules in evaluation order. */
  readonly rules: readonly HostFirewallRule[];
  /** The rule every undecided packet meets: the default drop. */
  readonly defaultRule: DecidingRule;
}

/** Every host firewall of the estate, by workload. */
export interface HostFacts {
  readonly firewalls: readonly HostFirewallFacts[];
}

/**
 * Construct paths of every workload with a host firewall in any estate read so far: a host's
 * signature names it only then, so hosts of estates without host firewalls keep sharing verdicts.
 */
export const FIREWALLED_WORKLOADS = new Set<string>();

/** Reads the host firewalls the delivery resources carry (`"//".microseg.hostFirewall`). */
export function hostFacts(estate: Estate): HostFacts {
  const firewalls: HostFirewallFacts[] = [];
  for (const type of HOST_CARRIER_TYPES) {
    for (const resource of estate.model.resourcesOfType(type)) {
      const record = readHostFirewallProvenance(resource.body);
      if (!record) continue;
      const texts = (raw: unknown) => estate.resolver.values(resource.stack, raw).map(textOf);
      const rules = record.rules.map((rule, index): HostFirewallRule => {
        const peers = rule.peers?.flatMap(texts);
        const summary = `${rule.action} ${rule.direction === 'in' ? 'from' : 'to'} ${peers ? peers.join(' ') : 'any address'}${rule.local ? ` at ${rule.local}` : ''} ${rule.ports.join(' ')}`;
        return {
          direction: rule.direction,
          action: rule.action === 'accept' ? 'allow' : 'deny',
          ...(peers ? { peers } : {}),
          ...(rule.local ? { local: rule.local } : {}),
          traffic: exactRuleTraffic(rule.ports.map(portTraffic).reduce(unionTraffic, NO_TRAFFIC)),
          origin: { ...ruleOrigin(estate, resource, summary, `#rule${index + 1}`), flows: rule.flows, ...(rule.guardrails.length > 0 ? { guardrails: rule.guardrails } : {}) },
        };
      });
      FIREWALLED_WORKLOADS.add(record.workload);
      firewalls.push({
        workload: record.workload,
        flavor: record.flavor,
        addresses: record.addresses.flatMap(texts),
        rules,
        defaultRule: { ...ruleOrigin(estate, resource, 'default policy: drop', '#default-drop'), flows: [] },
      });
    }
  }
  return { firewalls: firewalls.sort((a, b) => (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : 0)) };
}

/** The traffic of a port key (`tcp/443`, `udp/5000-5010`, `icmp/8/-1`, `all`); nothing for a key it cannot read. */
export function portTraffic(key: string): Traffic {
  if (key === 'all') return ALL_TRAFFIC;
  const [protocol, first, second] = key.split('/');
  if (protocol === 'tcp' || protocol === 'udp') {
    const [from, to] = (first ?? '').split('-').map(Number);
    return Number.isInteger(from) ? protocolTraffic(protocol, from, Number.isInteger(to) ? to : from) : NO_TRAFFIC;
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const type = Number(first);
    const code = Number(second);
    if (!Number.isInteger(type) || type < 0) return protocolTraffic(protocol);
    return icmpTraffic(protocol, type, Number.isInteger(code) && code >= 0 ? code : undefined);
  }
  return NO_TRAFFIC;
}
