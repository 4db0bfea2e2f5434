import { GcpVm } from './gcp-host';
import { GCP_TYPES } from './gcp-types';
import type { Estate } from '../../estate/estate';
import { unique } from '../../estate/host';
import { JsonObject, TerraformResource, asObject, blocksAt } from '../../model/terraform-model';
import { Value, identityOf, isSymbolicText, stringOf, textOf } from '../../model/value';
import { appendTo } from '../../multimap';
import { parseCidr } from '../../net/cidr';

/** The order in which a VPC network evaluates its network firewall policies against its classic VPC firewall rules. */
export type EnforcementOrder = 'AFTER_CLASSIC_FIREWALL' | 'BEFORE_CLASSIC_FIREWALL';

/** The order a network uses and where it comes from. */
export interface NetworkOrder {
  /** The order. */
  readonly order: EnforcementOrder;
  /** Why: set on the network, the provider's default, or unknown (the network is not in the JSON). */
  readonly source: 'configured' | 'default' | 'network not in the JSON';
}

/** What the Terraform JSON says about one VM (or the VMs of a template): its host entry, addresses and enclosing ranges. */
export interface GcpVmFacts {
  /** The host entry. */
  readonly vm: GcpVm;
  /** Its own addresses (none for a template: its VMs lie somewhere in the subnetwork). */
  readonly addresses: readonly Value[];
  /** The subnetwork's ranges. */
  readonly ranges: readonly string[];
}

/** The prefix of the identity of a value that is not a secure tag value name (see {@link GcpFacts.tagValueIdentity}). */
export const MALFORMED_TAG = 'not-a-tag-value:';

const TAG_VALUE_TYPES = new Set<string>([GCP_TYPES.tagValue, `data.${GCP_TYPES.tagValue}`]);

/** The address attribute of an instance's first interface, as the provider names it. */
export const INSTANCE_ADDRESS_ATTRIBUTE = 'network_interface.0.network_ip';

/** Facts about Google Cloud networks, subnetworks, secure tags and VMs, indexed once per estate. */
export class GcpFacts {
  private readonly networkByName = new Map<string, string>();
  private readonly subnetByName = new Map<string, string>();
  private readonly instanceByName = new Map<string, string>();
  private readonly bindingsByParent = new Map<string, TerraformResource[]>();
  private readonly vmCache = new Map<string, GcpVmFacts | undefined>();

  constructor(private readonly estate: Estate) {
    const model = estate.model;
    const literalName = (resource: TerraformResource) => stringOf(estate.resolver.value(resource.stack, resource.body.name));
    for (const [type, index] of [
      [GCP_TYPES.network, this.networkByName], [GCP_TYPES.subnetwork, this.subnetByName],
      [GCP_TYPES.instance, this.instanceByName], [GCP_TYPES.instanceData, this.instanceByName],
    ] as const) {
      for (const resource of model.resourcesOfType(type)) {
        const name = literalName(resource);
        if (name !== undefined) index.set(name, resource.key);
      }
    }
    for (const binding of model.resourcesOfType(GCP_TYPES.locationTagBinding)) {
      const parent = this.instanceOfBinding(binding);
      if (parent) appendTo(this.bindingsByParent, parent, binding);
    }
  }

  /** The identity of a network field (a reference's resource key, a network of the JSON by name, or `network:<name>`). */
  public networkIdentity(stack: string, raw: unknown): string | undefined {
    return this.identityByName(this.estate.resolver.value(stack, raw), this.networkByName, 'network');
  }

  /** The identity of a subnetwork field. */
  public subnetIdentity(stack: string, raw: unknown): string | undefined {
    return this.identityByName(this.estate.resolver.value(stack, raw), this.subnetByName, 'subnetwork');
  }

  /** The identity of a field that names a resource (a tag key as a tag value's parent): the resource key of a reference, or the literal. */
  public tagIdentity(stack: string, raw: unknown): string | undefined {
    const value = this.estate.resolver.value(stack, raw);
    return value ? identityOf(value) : undefined;
  }

  /**
   * The identity of a field that names a secure tag value, which Google requires as `tagValues/<id>`:
   * a tag value resource's `id`, `tagValues/${<value>.name}` (its `name` is the bare numeric id) or a
   * literal `tagValues/...`. Anything else (a bare numeric id, `${<value>.name}` alone) is not a tag
   * value name: its identity starts with {@link MALFORMED_TAG} and it matches no VM.
   */
  public tagValueIdentity(stack: string, raw: unknown): string | undefined {
    const value = this.estate.resolver.value(stack, raw);
    if (!value) return undefined;
    const isTagValue = (key: string) => TAG_VALUE_TYPES.has(this.estate.model.resource(key)?.type ?? '');
    if (value.kind === 'reference') {
      if (!isTagValue(value.key) || value.attribute === 'id') return value.key;
      return `${MALFORMED_TAG}${textOf(value)}`;
    }
    const text = textOf(value);
    const named = /^tagValues\/\$\{([^}]+)\.name\}$/.exec(text)?.[1];
    if (named !== undefined && isTagValue(named)) return named;
    if (value.kind === 'literal' && !text.startsWith('tagValues/')) return `${MALFORMED_TAG}${text}`;
    return text;
  }

  /** The network's enforcement order: `network_firewall_policy_enforcement_order`, the default `AFTER_CLASSIC_FIREWALL` when unset. */
  public enforcementOrder(network: string | undefined): NetworkOrder {
    const resource = network === undefined ? undefined : this.estate.model.resource(network);
    if (!resource || resource.type !== GCP_TYPES.network) return { order: 'AFTER_CLASSIC_FIREWALL', source: 'network not in the JSON' };
    const configured = stringOf(this.estate.resolver.value(resource.stack, resource.body.network_firewall_policy_enforcement_order));
    if (configured === 'BEFORE_CLASSIC_FIREWALL' || configured === 'AFTER_CLASSIC_FIREWALL') return { order: configured, source: 'configured' };
    return { order: 'AFTER_CLASSIC_FIREWALL', source: 'default' };
  }

  /** The network a secure tag value's key is scoped to (`purpose_data.network`); undefined when unknown or organization-wide. */
  public networkOfTagValue(tagValue: string): string | undefined {
    const key = this.keyOfTagValue(tagValue);
    const purposeData = asObject(key?.body.purpose_data);
    return key === undefined || purposeData.network === undefined ? undefined : this.networkIdentity(key.stack, purposeData.network);
  }

  /** Whether firewalls can use a tag value: true unless its key is in the JSON without purpose `GCE_FIREWALL`. */
  public isFirewallTag(tagValue: string): boolean {
    if (tagValue.startsWith(MALFORMED_TAG)) return false;
    const key = this.keyOfTagValue(tagValue);
    return key === undefined || stringOf(this.estate.resolver.value(key.stack, key.body.purpose)) === 'GCE_FIREWALL';
  }

  private keyOfTagValue(tagValue: string): TerraformResource | undefined {
    const value = this.estate.model.resource(tagValue);
    if (!value || value.type !== GCP_TYPES.tagValue) return undefined;
    const parent = this.tagIdentity(value.stack, value.body.parent) ?? '';
    // `tagKeys/${<key>.name}`: the key's `name` is its bare numeric id
    const key = this.estate.model.resource(/^tagKeys\/\$\{([^}]+)\.name\}$/.exec(parent)?.[1] ?? parent);
    return key?.type === GCP_TYPES.tagKey ? key : undefined;
  }

  /** Whether a VM carries a secure tag value that applies to its interface: the value is bound to it and its key is scoped to the VM's network. */
  public carriesTag(vm: GcpVm, tagValue: string): boolean {
    if (!this.isFirewallTag(tagValue) || !vm.tagValues.includes(tagValue)) return false;
    const network = this.networkOfTagValue(tagValue);
    return network === undefined || vm.network === undefined || network === vm.network;
  }

  /** Literal CIDRs of a subnetwork of the JSON (primary range). */
  public cidrsOfSubnet(subnet: string | undefined): string[] {
    const resource = subnet === undefined ? undefined : this.estate.model.resource(subnet);
    if (!resource || resource.type !== GCP_TYPES.subnetwork) return [];
    const cidr = stringOf(this.estate.resolver.value(resource.stack, resource.body.ip_cidr_range));
    return cidr !== undefined && parseCidr(cidr) ? [cidr] : [];
  }

  /** The network and region of a subnetwork of the JSON. */
  public subnetPlacement(subnet: string | undefined): { network?: string; region?: string } {
    const resource = subnet === undefined ? undefined : this.estate.model.resource(subnet);
    if (!resource || resource.type !== GCP_TYPES.subnetwork) return {};
    return {
      network: this.networkIdentity(resource.stack, resource.body.network),
      region: stringOf(this.estate.resolver.value(resource.stack, resource.body.region)),
    };
  }

  /** The VM facts of an instance, instance data source, template, instance group manager (its template) or location tag binding. */
  public vmFacts(resource: TerraformResource): GcpVmFacts | undefined {
    if (this.vmCache.has(resource.key)) return this.vmCache.get(resource.key);
    const facts = this.readVm(resource);
    this.vmCache.set(resource.key, facts);
    return facts;
  }

  /** The VM resources (instances, data sources, templates) whose VMs carry a secure tag value, the value's scope aside. */
  public membersOf(tagValue: string): TerraformResource[] {
    return [GCP_TYPES.instance, GCP_TYPES.instanceData, GCP_TYPES.template]
      .flatMap((type) => this.estate.model.resourcesOfType(type))
      .filter((resource) => this.vmFacts(resource)?.vm.tagValues.includes(tagValue));
  }

  /** The instance (resource or data source key) a location tag binding's `parent` names, if it is in the JSON. */
  public instanceOfBinding(binding: TerraformResource): string | undefined {
    const parent = this.estate.resolver.value(binding.stack, binding.body.parent);
    if (!parent) return undefined;
    if (parent.kind === 'reference') return this.isInstance(parent.key) ? parent.key : undefined;
    const text = textOf(parent);
    if (isSymbolicText(text)) {
      return [GCP_TYPES.instance, GCP_TYPES.instanceData]
        .flatMap((type) => this.estate.model.resourcesOfType(type))
        .find((instance) => text.includes(`\${${instance.key}.`))?.key;
    }
    const name = /\/instances\/([^/]+)$/.exec(text)?.[1];
    return name === undefined ? undefined : this.instanceByName.get(name);
  }

  private isInstance(key: string): boolean {
    const type = this.estate.model.resource(key)?.type;
    return type === GCP_TYPES.instance || type === GCP_TYPES.instanceData;
  }

  private readVm(resource: TerraformResource): GcpVmFacts | undefined {
    switch (resource.type) {
      case GCP_TYPES.instance:
      case GCP_TYPES.instanceData:
      case GCP_TYPES.template:
        return this.readInstance(resource);
      case GCP_TYPES.groupManager:
      case GCP_TYPES.regionGroupManager: {
        const template = this.templateOf(resource);
        const facts = template ? this.vmFacts(template) : undefined;
        return facts && { ...facts, vm: { ...facts.vm, vmKey: resource.key } };
      }
      case GCP_TYPES.locationTagBinding:
        return this.readBinding(resource);
      default:
        return undefined;
    }
  }

  private readInstance(resource: TerraformResource): GcpVmFacts {
    const { stack, body } = resource;
    const resolver = this.estate.resolver;
    const nic: JsonObject = blocksAt(body, 'network_interface')[0] ?? {};
    const subnet = nic.subnetwork === undefined ? undefined : this.subnetIdentity(stack, nic.subnetwork);
    const placed = this.subnetPlacement(subnet);
    const network = nic.network === undefined ? placed.network : this.networkIdentity(stack, nic.network);
    const zone = stringOf(resolver.value(stack, body.zone));
    const region = placed.region ?? (zone ? zone.replace(/-[a-z]$/, '') : stringOf(resolver.value(stack, body.region)));
    const tagsMap = resource.type === GCP_TYPES.template ? body.resource_manager_tags : asObject(blocksAt(body, 'params')[0]).resource_manager_tags;
    const bound = (this.bindingsByParent.get(resource.key) ?? [])
      .map((binding) => this.tagValueIdentity(binding.stack, binding.body.tag_value))
      .filter((tag): tag is string => tag !== undefined);
    const tagValues = unique([
      ...Object.values(asObject(tagsMap)).map((raw) => this.tagValueIdentity(stack, raw)).filter((tag): tag is string => tag !== undefined),
      ...bound,
    ]).sort();
    const vm: GcpVm = {
      vmKey: resource.key,
      ...(network !== undefined ? { network } : {}),
      ...(subnet !== undefined ? { subnet } : {}),
      ...(region !== undefined ? { region } : {}),
      tagValues,
      networkTags: unique(resolver.values(stack, body.tags).map(textOf)).sort(),
      serviceAccounts: unique(blocksAt(body, 'service_account').flatMap((account) => resolver.values(stack, account.email)).map(textOf)).sort(),
    };
    const configured = resolver.values(stack, nic.network_ip);
    const addresses: Value[] = resource.type === GCP_TYPES.template ? []
      : configured.length > 0 ? configured : [{ kind: 'reference', key: resource.key, attribute: INSTANCE_ADDRESS_ATTRIBUTE }];
    return { vm, addresses, ranges: this.cidrsOfSubnet(subnet) };
  }

  /** A binding to an instance of the JSON stands for that instance; to an instance outside it, for a VM of the tag key's network. */
  private readBinding(binding: TerraformResource): GcpVmFacts | undefined {
    const instance = this.instanceOfBinding(binding);
    const target = instance ? this.estate.model.resource(instance) : undefined;
    if (target) return this.vmFacts(target);
    const tag = this.tagValueIdentity(binding.stack, binding.body.tag_value);
    if (tag === undefined) return undefined;
    // every binding of the JSON to the same instance outside it: the VM carries all their values
    const parent = this.literalParent(binding);
    const siblings = parent === undefined ? [binding]
      : this.estate.model.resourcesOfType(GCP_TYPES.locationTagBinding).filter((other) => this.literalParent(other) === parent);
    const tagValues = unique(siblings.map((other) => this.tagValueIdentity(other.stack, other.body.tag_value))
      .filter((value): value is string => value !== undefined)).sort();
    const network = this.networkOfTagValue(tag);
    const vm: GcpVm = { vmKey: binding.key, ...(network !== undefined ? { network } : {}), tagValues, networkTags: [], serviceAccounts: [] };
    return { vm, addresses: [{ kind: 'reference', key: binding.key, attribute: 'parent' }], ranges: [] };
  }

  /** A binding's `parent` when it is literal text (an instance outside the JSON named by its resource name). */
  private literalParent(binding: TerraformResource): string | undefined {
    const parent = this.estate.resolver.value(binding.stack, binding.body.parent);
    return parent?.kind === 'literal' ? String(parent.value) : undefined;
  }

  private templateOf(manager: TerraformResource): TerraformResource | undefined {
    const raws = [...blocksAt(manager.body, 'version').map((version) => version.instance_template), manager.body.instance_template];
    for (const raw of raws) {
      const value = this.estate.resolver.value(manager.stack, raw);
      const template = value ? this.estate.model.resource(identityOf(value)) : undefined;
      if (template?.type === GCP_TYPES.template) return template;
    }
    return undefined;
  }

  private identityByName(value: Value | undefined, byName: ReadonlyMap<string, string>, kind: string): string | undefined {
    if (!value) return undefined;
    if (value.kind !== 'literal') return identityOf(value);
    const name = String(value.value).split('/').pop() ?? '';
    return byName.get(name) ?? `${kind}:${name}`;
  }
}

/** The Google Cloud facts of an estate, indexed on first use. */
export function gcpFacts(estate: Estate): GcpFacts {
  return estate.facts(readGcpFacts);
}

function readGcpFacts(estate: Estate): GcpFacts {
  return new GcpFacts(estate);
}
