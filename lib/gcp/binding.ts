import { TerraformResource, Token } from 'cdktf';
import { Platform } from '../platform';
import { WorkloadBinding } from '../workload-binding';

/** How a {@link GcpBinding} carries the workload's secure tags. */
export enum GcpTagPlacement {
  /** In the instance's `params.resource_manager_tags` (forces replacement of the instance when they change). */
  INSTANCE_PARAMS = 'instance-params',
  /** In the instance template's `resource_manager_tags`. */
  TEMPLATE = 'template',
  /** In one `google_tags_location_tag_binding` per tag (an instance is never replaced for them). */
  TAG_BINDINGS = 'tag-bindings',
}

/**
 * Binds a workload to Google Cloud VM instances protected by the {@link GcpEnforcement} of its
 * stack. The workload's segments become secure tag values on the instances: in the instance's
 * `params.resource_manager_tags` (`instance`), in an instance template's `resource_manager_tags`
 * (`instanceTemplate`, for managed instance groups), or through `google_tags_location_tag_binding`
 * (`instanceWithTagBindings` for an instance of the stack, `existingInstance` for one it does not
 * declare).
 */
export class GcpBinding extends WorkloadBinding {
  /**
   * A VM instance (`google_compute_instance`, `ComputeInstance` of
   * `@cdktf/provider-google/lib/compute-instance`), its tags in `params.resource_manager_tags`
   * merged with those it has. The provider replaces the instance when `params` changes, so a
   * membership change replaces the VM: synthesis warns (`[microseg:binding-replaces-resource]`)
   * when the tags differ from the previous synthesis. Use `instanceWithTagBindings` to avoid it.
   * Its address is its first interface's `network_ip` (the configured one, else the attribute), and
   * the literal IPv6 addresses configured on that interface (`ipv6_address`,
   * `ipv6_access_config.external_ipv6`).
   * @param instance the instance
   */
  public static instance(instance: TerraformResource): GcpBinding {
    return new GcpBinding(instance, 'google_compute_instance', 'GcpBinding.instance', GcpTagPlacement.INSTANCE_PARAMS);
  }

  /**
   * A VM instance (`google_compute_instance`) whose tags are bound by
   * `google_tags_location_tag_binding` resources: a membership change adds or removes bindings and
   * never replaces the instance. Between the instance's creation and its bindings' it carries no tag.
   * Its addresses are those of {@link GcpBinding.instance}.
   * @param instance the instance
   */
  public static instanceWithTagBindings(instance: TerraformResource): GcpBinding {
    return new GcpBinding(instance, 'google_compute_instance', 'GcpBinding.instanceWithTagBindings', GcpTagPlacement.TAG_BINDINGS);
  }

  /**
   * The instances of a managed instance group, through their instance template
   * (`google_compute_instance_template`, `ComputeInstanceTemplate` of
   * `@cdktf/provider-google/lib/compute-instance-template`): its `resource_manager_tags` merged
   * with those it has. A template is immutable: a change of tags makes a new template, which the
   * group rolls out by its update policy. Without `addresses` the workload is named by the
   * enforcement's `subnetCidrs`.
   * @param template the instance template
   */
  public static instanceTemplate(template: TerraformResource): GcpBinding {
    return new GcpBinding(template, 'google_compute_instance_template', 'GcpBinding.instanceTemplate', GcpTagPlacement.TEMPLATE);
  }

  /**
   * A VM instance the stack does not declare, known by its project, zone and numeric instance id;
   * its tags are bound by `google_tags_location_tag_binding`. Give the workload its `addresses`.
   * @param project the instance's project id
   * @param zone the instance's zone (`europe-west1-b`)
   * @param instanceId the numeric instance id (`instance_id`, not the name)
   */
  public static existingInstance(project: string, zone: string, instanceId: string): GcpBinding {
    return new GcpBinding(undefined, 'existing-instance', 'GcpBinding.existingInstance', GcpTagPlacement.TAG_BINDINGS, { project, zone, instanceId });
  }

  /** Where the tags go. */
  public readonly tagPlacement: GcpTagPlacement;
  /** The project of an existing instance; undefined for a bound resource. */
  public readonly project?: string;
  /** The zone of an existing instance; undefined for a bound resource. */
  public readonly zone?: string;
  /** The numeric id of an existing instance; undefined for a bound resource. */
  public readonly instanceId?: string;
  private readonly networkIp?: string;
  private readonly ipv6Literals: string[] = [];

  private constructor(
    resource: TerraformResource | undefined, resourceType: string, factory: string, placement: GcpTagPlacement,
    existing?: { project: string; zone: string; instanceId: string },
  ) {
    super(Platform.GCP, resource as TerraformResource, resourceType, factory);
    this.tagPlacement = placement;
    this.project = existing?.project;
    this.zone = existing?.zone;
    this.instanceId = existing?.instanceId;
    if (resource && (resource as any).terraformResourceType === 'google_compute_instance') {
      // a configured literal address, else the attribute (read once: every read makes a new token)
      const configured = (resource as any).networkInterfaceInput?.[0]?.networkIp;
      this.networkIp = typeof configured === 'string' && configured !== '' ? configured : Token.asString(resource.interpolationForAttribute('network_interface[0].network_ip'));
      const first = interfacesOf(resource)[0];
      const ipv6 = [first?.ipv6Address, ...listOf(first?.ipv6AccessConfig).map((c: any) => c?.externalIpv6)];
      this.ipv6Literals = ipv6.filter((a): a is string => typeof a === 'string' && a !== '' && !Token.isUnresolved(a));
    }
  }

  /**
   * The network interface of the bound instance or template that may carry an IPv6 address
   * (`stack_type` `IPV4_IPV6` or `IPV6_ONLY`, or an `ipv6_access_config`), as messages name it
   * (`network_interface[0] (stack_type IPV4_IPV6, an ipv6_access_config)`), read from the
   * resource's configuration.
   * @default - undefined: every interface is IPv4 only, or the configuration is an expression
   */
  public get ipv6Interface(): string | undefined {
    if (this.resourceType === 'existing-instance') return undefined;
    const interfaces = interfacesOf(this.resource);
    for (let i = 0; i < interfaces.length; i++) {
      const stackType = interfaces[i]?.stackType;
      const why: string[] = [];
      if (stackType === 'IPV4_IPV6' || stackType === 'IPV6_ONLY') why.push(`stack_type ${stackType}`);
      if (listOf(interfaces[i]?.ipv6AccessConfig).length > 0) why.push('an ipv6_access_config');
      if (why.length > 0) return `network_interface[${i}] (${why.join(', ')})`;
    }
    return undefined;
  }

  /** An instance template stands for the VMs of the groups that use it. */
  public get severalHosts(): boolean {
    return this.factory === 'GcpBinding.instanceTemplate';
  }

  /**
   * The instance's first interface address (a Terraform expression unless configured) and that
   * interface's literal IPv6 addresses; none for templates and existing instances.
   */
  public get addresses(): string[] {
    return this.networkIp ? [this.networkIp, ...this.ipv6Literals] : [];
  }

  /** How a user gives the workload addresses when the binding has none. */
  public get addressHint(): string | undefined {
    if (this.resourceType === 'google_compute_instance_template') return 'the workload addresses: [subnet.ipCidrRange] (the subnet of the template\'s instances), or subnetCidrs on its GcpEnforcement';
    if (this.resourceType === 'existing-instance') return 'the workload addresses: ["10.10.0.5"] (the instance\'s internal IP)';
    return undefined;
  }

  /** The problems of the binding (empty when it is sound). */
  public validate(): string[] {
    if (this.resourceType !== 'existing-instance') return super.validate();
    const problems: string[] = [];
    for (const [name, value] of [['project', this.project], ['zone', this.zone], ['instanceId', this.instanceId]] as const) {
      if (typeof value !== 'string' || value === '') problems.push(`is bound with ${this.factory}(...) whose ${name} is ${JSON.stringify(value)}. Give the instance's project id, zone and numeric instance id.`);
    }
    return problems;
  }
}

/** The configured network interfaces of an instance or template (none when they are an expression). */
function interfacesOf(resource: TerraformResource | undefined): any[] {
  return listOf((resource as any)?.networkInterfaceInput);
}

/** A configured block list: its items, or none when it is absent or an expression. */
function listOf(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}
