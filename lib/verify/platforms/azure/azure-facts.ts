import type { Estate } from '../../estate/estate';
import { unique } from '../../estate/host';
import { Resolver } from '../../model/resolver';
import { TerraformModel, TerraformResource, blocksAt } from '../../model/terraform-model';
import { Value, identityOf, stringOf } from '../../model/value';
import { appendTo } from '../../multimap';
import { Cidr, cidrContains, parseCidr } from '../../net/cidr';

/** Azure VM types whose `network_interface_ids` bind them to NICs. */
export const AZURE_VM_TYPES = new Set(['azurerm_linux_virtual_machine', 'azurerm_windows_virtual_machine', 'azurerm_virtual_machine']);

/** Scale set types: their ASGs and subnet are in `network_interface[].ip_configuration[]`, their NIC NSG in `network_interface[].network_security_group_id`. */
export const AZURE_SCALE_SET_TYPES = new Set(['azurerm_linux_virtual_machine_scale_set', 'azurerm_windows_virtual_machine_scale_set']);
/** The private endpoint type: ASGs by association resource, subnet `subnet_id`. */
export const AZURE_PRIVATE_ENDPOINT = 'azurerm_private_endpoint';
/** The AKS node pool type: ASGs in `node_network_profile`, subnet `vnet_subnet_id`. */
export const AZURE_NODE_POOL = 'azurerm_kubernetes_cluster_node_pool';
/** Every type whose resource is itself a member of ASGs (a host), VMs aside. */
export const AZURE_MEMBER_TYPES = ['azurerm_network_interface', ...AZURE_SCALE_SET_TYPES, AZURE_PRIVATE_ENDPOINT, AZURE_NODE_POOL];
/** The values of a subnet's `private_endpoint_network_policies` under which NSGs filter private endpoints. */
const NSG_ENABLED_POLICIES = new Set(['enabled', 'networksecuritygroupenabled']);

/** What the Terraform JSON says about one Azure NIC (or scale set, private endpoint, node pool). */
export interface AzureNicFacts {
  /** Identities of its application security groups. */
  readonly asgs: readonly string[];
  /** Identities of the NSGs associated with it. */
  readonly nicNsgs: readonly string[];
  /** Identity of its subnet (first IP configuration). */
  readonly subnet?: string;
  /** Its addresses, resolved (none for a scale set or a node pool: their hosts lie in the subnet). */
  readonly addresses: readonly Value[];
  /** Whether NSGs of its subnet filter it (false for a private endpoint in a subnet without network policies). */
  readonly subnetFiltered: boolean;
}

/** Facts about Azure NICs, ASG and NSG associations, subnets and VNets, indexed once per model. */
export class AzureFacts {
  /** Address spaces of the `azurerm_virtual_network`s in the JSON. */
  public readonly vnetAddressSpaces: readonly string[];
  private readonly asgsByNic = new Map<string, string[]>();
  private readonly nsgsByNic = new Map<string, string[]>();
  private readonly nsgsBySubnet = new Map<string, string[]>();
  private readonly nsgByName = new Map<string, string>();
  /** The members of each ASG, in the order of {@link AZURE_MEMBER_TYPES} and of the JSON: indexed when first asked for. */
  private membersByAsg?: Map<string, TerraformResource[]>;
  /** The NSGs whose rules protect each ASG: indexed when first asked for. */
  private nsgsByProtectedAsg?: Map<string, string[]>;

  constructor(private readonly model: TerraformModel, private readonly resolver: Resolver) {
    this.index('azurerm_network_interface_application_security_group_association', 'network_interface_id', 'application_security_group_id', this.asgsByNic);
    this.index('azurerm_private_endpoint_application_security_group_association', 'private_endpoint_id', 'application_security_group_id', this.asgsByNic);
    this.index('azurerm_network_interface_security_group_association', 'network_interface_id', 'network_security_group_id', this.nsgsByNic);
    this.index('azurerm_subnet_network_security_group_association', 'subnet_id', 'network_security_group_id', this.nsgsBySubnet);
    for (const nsg of model.resourcesOfType('azurerm_network_security_group')) {
      const name = stringOf(resolver.value(nsg.stack, nsg.body.name));
      if (name !== undefined) this.nsgByName.set(name, nsg.key);
    }
    this.vnetAddressSpaces = model.resourcesOfType('azurerm_virtual_network')
      .flatMap((vnet) => resolver.values(vnet.stack, vnet.body.address_space))
      .map(stringOf)
      .filter((cidr): cidr is string => cidr !== undefined && parseCidr(cidr) !== undefined);
  }

  /** Facts of a NIC, scale set, private endpoint or node pool. */
  public nicFacts(nic: TerraformResource): AzureNicFacts {
    const stack = nic.stack;
    const valuesOf = (raw: unknown) => this.resolver.values(stack, raw);
    const first = (raws: unknown[]) => raws.map((raw) => this.resolver.value(stack, raw)).find((value) => value !== undefined);
    const identity = (value: Value | undefined) => (value ? identityOf(value) : undefined);
    if (AZURE_SCALE_SET_TYPES.has(nic.type)) {
      const interfaces = blocksAt(nic.body, 'network_interface');
      const configurations = interfaces.flatMap((block) => blocksAt(block, 'ip_configuration'));
      return {
        asgs: unique(configurations.flatMap((config) => valuesOf(config.application_security_group_ids)).map(identityOf)),
        nicNsgs: unique(interfaces.flatMap((block) => valuesOf(block.network_security_group_id)).map(identityOf)),
        subnet: identity(first(configurations.map((config) => config.subnet_id))),
        addresses: [],
        subnetFiltered: true,
      };
    }
    if (nic.type === AZURE_NODE_POOL) {
      return {
        asgs: unique(blocksAt(nic.body, 'node_network_profile').flatMap((profile) => valuesOf(profile.application_security_group_ids)).map(identityOf)),
        nicNsgs: [],
        subnet: identity(first([nic.body.vnet_subnet_id])),
        addresses: [],
        subnetFiltered: true,
      };
    }
    if (nic.type === AZURE_PRIVATE_ENDPOINT) {
      const subnet = identity(first([nic.body.subnet_id]));
      const addresses = blocksAt(nic.body, 'ip_configuration').flatMap((config) => valuesOf(config.private_ip_address));
      return {
        asgs: this.asgsByNic.get(nic.key) ?? [],
        nicNsgs: [],
        subnet,
        addresses: addresses.length > 0 ? addresses : [{ kind: 'reference', key: nic.key, attribute: 'private_service_connection.0.private_ip_address' }],
        subnetFiltered: this.privateEndpointPoliciesEnabled(subnet),
      };
    }
    const configurations = blocksAt(nic.body, 'ip_configuration');
    const subnet = configurations.map((config) => this.resolver.value(stack, config.subnet_id)).find((value) => value !== undefined);
    const addresses = configurations.flatMap((config) => valuesOf(config.private_ip_address));
    return {
      asgs: this.asgsByNic.get(nic.key) ?? [],
      nicNsgs: this.nsgsByNic.get(nic.key) ?? [],
      subnet: subnet ? identityOf(subnet) : undefined,
      addresses: addresses.length > 0 ? addresses : [{ kind: 'reference', key: nic.key, attribute: 'private_ip_address' }],
      subnetFiltered: true,
    };
  }

  /**
   * Whether NSGs filter private endpoints of a subnet: its `private_endpoint_network_policies` is
   * `Enabled` or `NetworkSecurityGroupEnabled` (the provider's default is `Disabled`). A subnet that
   * is not in the JSON is assumed to filter (what it says is unknown).
   */
  private privateEndpointPoliciesEnabled(subnet: string | undefined): boolean {
    const resource = subnet === undefined ? undefined : this.model.resource(subnet);
    if (!resource || resource.type !== 'azurerm_subnet') return true;
    const policies = stringOf(this.resolver.value(resource.stack, resource.body.private_endpoint_network_policies));
    return policies !== undefined && NSG_ENABLED_POLICIES.has(policies.toLowerCase());
  }

  /** Identities of the NSGs associated with a subnet. */
  public nsgsOfSubnet(subnet: string | undefined): readonly string[] {
    return subnet === undefined ? [] : this.nsgsBySubnet.get(subnet) ?? [];
  }

  /** The most specific `azurerm_subnet` of the JSON whose prefixes contain the range, if any. */
  public subnetContaining(range: Cidr): string | undefined {
    let best: { subnet: string; prefix: number } | undefined;
    for (const subnet of this.model.resourcesOfType('azurerm_subnet')) {
      for (const cidr of this.cidrsOfSubnet(subnet.key).map((text) => parseCidr(text) as Cidr)) {
        if (cidrContains(cidr, range) && (!best || cidr.prefix > best.prefix)) best = { subnet: subnet.key, prefix: cidr.prefix };
      }
    }
    return best?.subnet;
  }

  /** CIDRs of an `azurerm_subnet` in the JSON. */
  public cidrsOfSubnet(subnet: string | undefined): readonly string[] {
    const resource = subnet === undefined ? undefined : this.model.resource(subnet);
    if (!resource || resource.type !== 'azurerm_subnet') return [];
    return this.resolver.values(resource.stack, resource.body.address_prefixes)
      .map(stringOf)
      .filter((cidr): cidr is string => cidr !== undefined && parseCidr(cidr) !== undefined);
  }

  /** NICs (and scale sets, private endpoints, node pools) that are members of an application security group. */
  public nicsWithAsg(asgKey: string): TerraformResource[] {
    if (!this.membersByAsg) {
      const index = new Map<string, TerraformResource[]>();
      for (const member of AZURE_MEMBER_TYPES.flatMap((type) => this.model.resourcesOfType(type))) {
        for (const asg of new Set(this.nicFacts(member).asgs)) appendTo(index, asg, member);
      }
      this.membersByAsg = index;
    }
    return [...(this.membersByAsg.get(asgKey) ?? [])];
  }

  /** The first NIC of an Azure VM resource. */
  public nicOfVm(vm: TerraformResource): TerraformResource | undefined {
    const first = this.resolver.values(vm.stack, vm.body.network_interface_ids)[0];
    const nic = first ? this.model.resource(identityOf(first)) : undefined;
    return nic?.type === 'azurerm_network_interface' ? nic : undefined;
  }

  /** Key (or identity) of the NSG an `azurerm_network_security_rule` belongs to (by `network_security_group_name`). */
  public nsgOfRule(rule: TerraformResource): string | undefined {
    const value = this.resolver.value(rule.stack, rule.body.network_security_group_name);
    if (!value) return undefined;
    if (value.kind === 'literal') return this.nsgByName.get(String(value.value)) ?? String(value.value);
    return identityOf(value);
  }

  /**
   * NSGs that protect the ASG's members, judged by their rules (resource or inline): an inbound rule
   * with the ASG as destination or an outbound rule with it as source.
   */
  public nsgsReferencingAsg(asgKey: string): string[] {
    if (!this.nsgsByProtectedAsg) {
      // every rule is read once: a matrix asks this for every segment without members
      const index = new Map<string, string[]>();
      const protectedAsgs = (stack: string, rule: Record<string, unknown>): string[] => {
        const inbound = stringOf(this.resolver.value(stack, rule.direction))?.toLowerCase() === 'inbound';
        const field = inbound ? 'destination_application_security_group_ids' : 'source_application_security_group_ids';
        return this.resolver.values(stack, rule[field]).map(identityOf);
      };
      for (const rule of this.model.resourcesOfType('azurerm_network_security_rule')) {
        const asgs = protectedAsgs(rule.stack, rule.body);
        const nsg = asgs.length > 0 ? this.nsgOfRule(rule) : undefined;
        if (nsg !== undefined) for (const asg of asgs) appendTo(index, asg, nsg);
      }
      for (const nsg of this.model.resourcesOfType('azurerm_network_security_group')) {
        for (const rule of blocksAt(nsg.body, 'security_rule')) for (const asg of protectedAsgs(nsg.stack, rule)) appendTo(index, asg, nsg.key);
      }
      this.nsgsByProtectedAsg = index;
    }
    return unique(this.nsgsByProtectedAsg.get(asgKey) ?? []).sort();
  }

  private index(type: string, fromField: string, toField: string, target: Map<string, string[]>): void {
    for (const resource of this.model.resourcesOfType(type)) {
      const from = this.resolver.value(resource.stack, resource.body[fromField]);
      const to = this.resolver.value(resource.stack, resource.body[toField]);
      if (from && to) target.set(identityOf(from), unique([...(target.get(identityOf(from)) ?? []), identityOf(to)]));
    }
  }
}

/** The Azure facts of an estate, indexed on first use. */
export function azureFacts(estate: Estate): AzureFacts {
  return estate.facts(readAzureFacts);
}

function readAzureFacts(estate: Estate): AzureFacts {
  return new AzureFacts(estate.model, estate.resolver);
}
