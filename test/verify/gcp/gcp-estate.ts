import { loadTerraformStacks } from '../../../lib/verify/model/load-terraform';
import { TerraformModel } from '../../../lib/verify/model/terraform-model';

/** A reference to an attribute of a resource of the same stack, as Terraform JSON writes it. */
export function ref(type: string, name: string, attribute = 'id'): string {
  return `\${${type}.${name}.${attribute}}`;
}

/** One protocol and its ports, as `layer4_configs` / `allow` blocks write them. */
export interface L4 {
  readonly protocol: string;
  readonly ports?: readonly string[];
}

/** A network firewall policy rule, in the fields the tests vary. */
export interface PolicyRuleSpec {
  readonly priority: number;
  readonly action: string;
  readonly direction?: 'INGRESS' | 'EGRESS';
  readonly l4?: readonly L4[];
  readonly srcRanges?: readonly string[];
  readonly srcTags?: readonly string[];
  readonly destRanges?: readonly string[];
  readonly targetTags?: readonly string[];
  readonly disabled?: boolean;
  readonly extraMatch?: Readonly<Record<string, unknown>>;
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly flows?: readonly string[];
}

/** A VM's placement and bindings. */
export interface VmSpec {
  readonly subnet: string;
  readonly ip?: string;
  readonly tags?: readonly string[];
  readonly networkTags?: readonly string[];
  readonly network?: string;
}

/**
 * A hand-written Google Cloud estate as synthesized Terraform JSON (one stack `gcp`): networks,
 * subnetworks, secure tags, VMs, policies and rules, plus the library's inventory.
 */
export class GcpEstate {
  private readonly resources: Record<string, Record<string, Record<string, unknown>>> = {};
  private readonly segments: Record<string, { selector: Record<string, string>; groups: string[] }> = {};
  private readonly workloads: Record<string, { labels: Record<string, string>; segments: string[]; binding?: string; addresses: string[] }> = {};

  /** Adds any resource; returns its `id` reference. */
  public add(type: string, name: string, body: Record<string, unknown>): string {
    this.resources[type] = this.resources[type] ?? {};
    this.resources[type][name] = { ...body, '//': { metadata: { path: `gcp/${name}` }, ...(body['//'] as object ?? {}) } };
    return ref(type, name);
  }

  /** A VPC network, with an enforcement order when given. */
  public network(name: string, order?: string): string {
    return this.add('google_compute_network', name, {
      name, auto_create_subnetworks: false, ...(order ? { network_firewall_policy_enforcement_order: order } : {}),
    });
  }

  /** A subnetwork of a network. */
  public subnet(name: string, network: string, cidr: string): string {
    return this.add('google_compute_subnetwork', name, { name, network: ref('google_compute_network', network), ip_cidr_range: cidr, region: 'europe-west1' });
  }

  /** A secure tag key scoped to a network, with one value per name; returns the values' references. */
  public secureTags(key: string, network: string, values: readonly string[]): Record<string, string> {
    this.add('google_tags_tag_key', key, {
      parent: 'projects/shop', short_name: key, purpose: 'GCE_FIREWALL', purpose_data: { network: `shop/${network}` },
    });
    return Object.fromEntries(values.map((value) => [value, this.add('google_tags_tag_value', `${key}_${value}`, {
      parent: ref('google_tags_tag_key', key), short_name: value,
    })]));
  }

  /** A VM in a subnetwork, with secure tags through `params.resource_manager_tags`. */
  public instance(name: string, spec: VmSpec): string {
    this.add('google_compute_instance', name, {
      name,
      zone: 'europe-west1-b',
      machine_type: 'e2-small',
      network_interface: [{
        subnetwork: ref('google_compute_subnetwork', spec.subnet),
        ...(spec.network ? { network: ref('google_compute_network', spec.network) } : {}),
        ...(spec.ip ? { network_ip: spec.ip } : {}),
      }],
      ...(spec.networkTags ? { tags: spec.networkTags } : {}),
      ...(spec.tags ? { params: { resource_manager_tags: Object.fromEntries(spec.tags.map((tag, i) => [`tagKeys/${i}`, tag])) } } : {}),
    });
    return `google_compute_instance.${name}`;
  }

  /** A global network firewall policy associated with a network. */
  public networkPolicy(name: string, network: string): string {
    this.add('google_compute_network_firewall_policy', name, { name });
    this.add('google_compute_network_firewall_policy_association', `${name}_${network}`, {
      name: `${name}-${network}`, attachment_target: ref('google_compute_network', network), firewall_policy: ref('google_compute_network_firewall_policy', name),
    });
    return name;
  }

  /** A hierarchical firewall policy associated with an organization or folder. */
  public hierarchicalPolicy(name: string, attachment: string): string {
    this.add('google_compute_firewall_policy', name, { parent: attachment, short_name: name });
    this.add('google_compute_firewall_policy_association', `${name}_assoc`, {
      name: `${name}-assoc`, attachment_target: attachment, firewall_policy: ref('google_compute_firewall_policy', name),
    });
    return name;
  }

  /** A rule of a network (or, with `type`, hierarchical) firewall policy. */
  public rule(policy: string, name: string, spec: PolicyRuleSpec, type = 'google_compute_network_firewall_policy_rule'): string {
    const policyType = type === 'google_compute_firewall_policy_rule' ? 'google_compute_firewall_policy' : 'google_compute_network_firewall_policy';
    this.add(type, name, {
      firewall_policy: ref(policyType, policy),
      priority: spec.priority,
      action: spec.action,
      direction: spec.direction ?? 'INGRESS',
      ...(spec.disabled ? { disabled: true } : {}),
      match: {
        layer4_configs: (spec.l4 ?? [{ protocol: 'all' }]).map((l4) => ({ ip_protocol: l4.protocol, ...(l4.ports ? { ports: l4.ports } : {}) })),
        ...(spec.srcRanges ? { src_ip_ranges: spec.srcRanges } : {}),
        ...(spec.destRanges ? { dest_ip_ranges: spec.destRanges } : {}),
        ...(spec.srcTags ? { src_secure_tags: spec.srcTags.map((tag) => ({ name: tag })) } : {}),
        ...(spec.extraMatch ?? {}),
      },
      ...(spec.targetTags ? { target_secure_tags: spec.targetTags.map((tag) => ({ name: tag })) } : {}),
      ...(spec.extra ?? {}),
      ...(spec.flows ? { '//': { microseg: { flows: spec.flows } } } : {}),
    });
    return `${type}.${name}`;
  }

  /** A segment of the library's inventory, with its groups (resource addresses). */
  public segment(path: string, groups: readonly string[]): void {
    this.segments[path] = { selector: {}, groups: [...groups] };
  }

  /** A workload of the library's inventory bound to a resource address. */
  public workload(path: string, binding: string, segments: readonly string[]): void {
    this.workloads[path] = { labels: {}, segments: [...segments], binding, addresses: [] };
  }

  /** The stack's JSON. */
  public json(): Record<string, unknown> {
    return {
      '//': { microseg: { version: 1, segments: this.segments, workloads: this.workloads } },
      'resource': JSON.parse(JSON.stringify(this.resources)),
    };
  }

  /** The model the evaluator reads. */
  public model(): TerraformModel {
    return loadTerraformStacks({ gcp: this.json() });
  }
}
