import { TerraformResource } from 'cdktf';
import { Platform } from './platform';

/**
 * What a {@link Workload} stands for on a platform: one Terraform resource (an instance, a network
 * interface, a virtual machine) that the platform's enforcement protects. Each platform folder
 * makes its own with static factories (`AwsBinding.instance(vm)`, `AzureBinding.networkInterface(nic)`,
 * `VsphereBinding.virtualMachine(vm)`), so this layer knows no provider class and an app installs
 * only the provider packages of the platforms it uses.
 */
export abstract class WorkloadBinding {
  /** The platform whose enforcement protects the bound resource. */
  public readonly platform: Platform;
  /** The bound Terraform resource. */
  public readonly resource: TerraformResource;
  /** The Terraform resource type the binding accepts (`aws_instance`). */
  public readonly resourceType: string;
  /** The factory that made the binding, as messages name it (`AwsBinding.instance`). */
  public readonly factory: string;

  /**
   * Binds `resource`, which must be of the Terraform type `resourceType`, to `platform`.
   * @param platform the platform whose enforcement protects the resource
   * @param resource the bound resource
   * @param resourceType the Terraform resource type the binding accepts (`aws_instance`)
   * @param factory the factory's name as messages show it (`AwsBinding.instance`)
   */
  protected constructor(platform: Platform, resource: TerraformResource, resourceType: string, factory: string) {
    this.platform = platform;
    this.resource = resource;
    this.resourceType = resourceType;
    this.factory = factory;
  }

  /**
   * Addresses the binding knows for the resource (for example the subnets a resource without a
   * fixed address runs in); the workload adds them to its own `addresses`.
   */
  public get addresses(): string[] {
    return [];
  }

  /**
   * Where `addresses` come from when they are ranges the resource shares with other hosts (the
   * subnets it runs in), as messages say it: a rule naming them admits those hosts too.
   * @default - undefined: the addresses are the resource's own
   */
  public get sharedAddressOrigin(): string | undefined {
    return undefined;
  }

  /**
   * How a user gives the bound resource addresses, as messages suggest it, when that is not the
   * workload's own `addresses` (undefined: the workload's `addresses`).
   */
  public get addressHint(): string | undefined {
    return undefined;
  }

  /**
   * Literal addresses the bound resource's configuration gives it (an instance's `private_ip`),
   * which it has whatever the workload's `addresses` say: they tell which CIDRs hold the workload.
   */
  public get configuredAddresses(): string[] {
    return [];
  }

  /**
   * CIDRs that hold the bound resource's addresses of a family its configuration gives none of
   * literally (the subnet of an instance without a literal private IP, the subnet's IPv6 CIDR for an
   * address AWS assigns): a CIDR covering one holds the workload, one inside it perhaps does.
   */
  public get addressRanges(): string[] {
    return [];
  }

  /**
   * CIDRs that hold the bound resource's addresses of a family it may or may not have, as synthesis
   * can tell (an instance whose IPv6 address count is an expression: its subnet's IPv6 CIDR): a CIDR
   * overlapping one perhaps holds the workload.
   */
  public get possibleAddressRanges(): string[] {
    return [];
  }

  /** Whether the bound resource has no IPv4 address at all (an instance in an IPv6-only subnet). */
  public get withoutIpv4(): boolean {
    return false;
  }

  /**
   * Whether the binding stands for several hosts (the pods of a Deployment, the VMs of a scale set),
   * whose traffic to each other the platform filters: only such a workload may have a flow to itself.
   */
  public get severalHosts(): boolean {
    return false;
  }

  /**
   * The problems of the binding, as sentences that follow the workload's path in a synth error
   * (empty when the binding is sound).
   */
  public validate(): string[] {
    const resource = this.resource as TerraformResource | undefined;
    if (resource === undefined || resource === null || typeof resource.terraformResourceType !== 'string') {
      return [`is bound with ${this.factory}(${describe(resource)}), which is not a Terraform resource. Pass the ${this.resourceType} resource construct itself.`];
    }
    if (resource.terraformResourceType !== this.resourceType) {
      return [`is bound with ${this.factory}(...) to '${resource.node.path}' of type ${resource.terraformResourceType}, but ${this.factory} binds type ${this.resourceType}. Pass the ${this.resourceType} itself, or bind the resource with the factory for its type.`];
    }
    return [];
  }
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return JSON.stringify(value);
}
