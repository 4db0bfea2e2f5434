import { VsphereProvider } from '@cdktf/provider-vsphere/lib/provider';
import { VirtualMachine } from '@cdktf/provider-vsphere/lib/virtual-machine';
import { App, TerraformStack } from 'cdktf';
import { nsxt } from '../../lib';
import { cidrContains } from '../../lib/model/cidr';
import { SynthesizedStack, resourcesOf } from '../helpers';

/** A stack with the vSphere and NSX providers. */
export function nsxStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new VsphereProvider(stack, 'vsphere', { user: 'u', password: 'p', vcenterServer: 'vc.example' });
  new nsxt.NsxtProvider(stack, 'nsxt', { host: 'nsx.example', username: 'u', password: 'p' });
  return stack;
}

/** A vSphere VM with fixed arguments. */
export function vm(stack: TerraformStack, id: string, extra: Partial<{ tags: string[] }> = {}): VirtualMachine {
  return new VirtualMachine(stack, id, { name: id, resourcePoolId: 'resgroup-1', datastoreId: 'datastore-1', numCpus: 2, memory: 2048, networkInterface: [{ networkId: 'network-1' }], ...extra });
}

/** The Terraform address `${type.name.attr}` of the only resource of a type whose name contains `part`. */
export function ref(stack: SynthesizedStack, type: string, part: string, attr: string): string {
  const names = Object.keys(resourcesOf(stack, type)).filter((n) => n.includes(part));
  if (names.length !== 1) throw new Error(`expected one ${type} named like ${part}, found ${names.join(', ') || 'none'}`);
  return `\${${type}.${names[0]}.${attr}}`;
}

/** The only resource of a type whose name contains `part`. */
export function one(stack: SynthesizedStack, type: string, part: string): any {
  const found = Object.entries(resourcesOf(stack, type)).filter(([n]) => n.includes(part));
  if (found.length !== 1) throw new Error(`expected one ${type} named like ${part}, found ${found.map(([n]) => n).join(', ') || 'none'}`);
  return found[0][1];
}

/** One end of a flow as the NSX distributed firewall sees it: a VM (by Terraform name) and/or an address. */
export interface NsxEndpoint {
  readonly vm?: string;
  readonly ip?: string;
}

/**
 * A small evaluator of the rendered NSX policy, written for these tests because lib/verify has no
 * NSX layer yet: first match by ascending sequence_number, checked at the source vNIC (direction
 * OUT) and at the destination vNIC (direction IN); no match falls through to the NSX default rule,
 * which ALLOWS.
 */
export function nsxAllows(stack: SynthesizedStack, from: NsxEndpoint, to: NsxEndpoint, protocol: 'tcp' | 'udp', port: number): boolean {
  const tagsByVm = new Map<string, string[]>();
  for (const body of Object.values<any>(resourcesOf(stack, 'nsxt_policy_vm_tags'))) {
    const vmName = /^\$\{vsphere_virtual_machine\.([^.]+)\.id\}$/.exec(body.instance_id)![1];
    tagsByVm.set(vmName, (body.tag ?? []).map((t: any) => `${t.scope}|${t.tag}`.toLowerCase()));
  }
  const groups = resourcesOf(stack, 'nsxt_policy_group');
  const services = resourcesOf(stack, 'nsxt_policy_service');
  const byRef = (refs: string[] | undefined, table: Record<string, any>, type: string) => (refs ?? []).map((r) => {
    const match = new RegExp(`^\\$\\{${type}\\.([^.]+)\\.path\\}$`).exec(r);
    if (!match || !table[match[1]]) throw new Error(`unresolved reference ${r}`);
    return table[match[1]];
  });
  const inGroup = (endpoint: NsxEndpoint, group: any) => (group.criteria ?? []).some((c: any) => {
    if (c.condition) {
      return endpoint.vm !== undefined && c.condition.every((cond: any) => cond.key === 'Tag' && cond.operator === 'EQUALS' && (tagsByVm.get(endpoint.vm!) ?? []).includes(cond.value.toLowerCase()));
    }
    if (c.ipaddress_expression) {
      return endpoint.ip !== undefined && c.ipaddress_expression.ip_addresses.some((cidr: string) => !cidr.includes('${') && cidrContains(cidr, endpoint.ip!));
    }
    return false;
  });
  const side = (endpoint: NsxEndpoint, refs: string[] | undefined) => {
    const list = byRef(refs, groups, 'nsxt_policy_group');
    return list.length === 0 || list.some((g) => inGroup(endpoint, g));
  };
  const serviceMatches = (refs: string[] | undefined) => {
    const list = byRef(refs, services, 'nsxt_policy_service');
    const covers = (p: string) => {
      const [lo, hi] = p.split('-').map(Number);
      return lo <= port && port <= (hi ?? lo);
    };
    const entryMatches = (e: any) => e.protocol === protocol.toUpperCase() && e.destination_ports.some(covers);
    return list.length === 0 || list.some((s) => (s.l4_port_set_entry ?? []).some(entryMatches));
  };
  const rules = Object.values<any>(resourcesOf(stack, 'nsxt_policy_security_policy_rule')).sort((a, b) => a.sequence_number - b.sequence_number);
  const verdictAt = (vnic: NsxEndpoint, direction: 'IN' | 'OUT') => {
    for (const rule of rules) {
      if (rule.direction !== 'IN_OUT' && rule.direction !== direction) continue;
      if (rule.scope?.length && !byRef(rule.scope, groups, 'nsxt_policy_group').some((g) => inGroup(vnic, g))) continue;
      if (!side(from, rule.source_groups) || !side(to, rule.destination_groups) || !serviceMatches(rule.services)) continue;
      return rule.action === 'ALLOW';
    }
    return true; // the default Layer-3 rule of NSX allows
  };
  return (from.vm === undefined || verdictAt(from, 'OUT')) && (to.vm === undefined || verdictAt(to, 'IN'));
}
