import { TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AllowOptions } from './allow-options';
import { IFlowEndpoint } from './endpoint';
import { declareFlowChild } from './endpoint-flows';
import type { AllowFlow } from './flow';
import { checkCidr, familyOf, hostCidr, isHostCidr } from './model/cidr';
import { isExpression } from './model/guardrail-semantics';
import { Platform } from './platform';
import { Port } from './port';
import { addressFamilyOf } from './private/address-family';
import { claimIdentity, identityClash } from './private/identity-clashes';
import { PolicyRegistry } from './registry';
import { Segment } from './segment';
import { stableIdProblems, stableIdentity } from './stable-identity';
import { WorkloadBinding } from './workload-binding';

/** Properties of a {@link Workload}. */
export interface WorkloadProps {
  /**
   * Labels of the workload (key to one value); segments select workloads by labels.
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Segments the workload belongs to explicitly, in addition to those whose selector matches it.
   * @default - only segments whose selector matches the labels
   */
  readonly segments?: Segment[];

  /**
   * The resource the workload stands for, made by its platform's binding factory:
   * `AwsBinding` (`instance(vm)`, `networkInterface(eni)`, `dbInstance(db)`, `lambdaFunction(fn)`, ...),
   * `AzureBinding` (`networkInterface(nic)`, `virtualMachineScaleSet(vmss)`, ...),
   * `VsphereBinding.virtualMachine(vm)`, `KubernetesBinding` (`deployment(d)`, `pods(namespace, labels)`, ...)
   * or `HostBinding` (`linux(addresses)`, `windows(addresses)`). Without it, `addresses` make the
   * workload a host outside the model.
   * @default - no binding: a host known by its `addresses`
   */
  readonly binding?: WorkloadBinding;

  /**
   * IP addresses or CIDRs of the workload. Alone, they make the workload an external or unmanaged
   * host; on a managed workload they let other platforms address it (for example
   * `instance.privateIp`). Terraform expressions are allowed: one whose text names IPv6 (an
   * attribute such as `ipv6_addresses`, a variable such as `var.partner_ipv6`) is an IPv6 address,
   * any other an IPv4 address, since rules must pick the family's field before the value is known.
   * @default - none
   */
  readonly addresses?: string[];

  /**
   * A name that identifies the workload in the resources it renders, in place of its construct path.
   * Terraform addresses and replace-on-change names derive from it, so a workload renamed or moved in
   * the construct tree that keeps its `stableId` keeps its resources; without it a rename destroys
   * and recreates them. Unique in the app. Give the old construct path when you rename.
   * @default - the construct path
   */
  readonly stableId?: string;
}

/**
 * One endpoint of the estate: a VM, an instance, a network interface, or an external host known by
 * its addresses. Workloads join segments explicitly or by labels.
 */
export class Workload extends Construct implements IFlowEndpoint {
  /** Whether `x` is a Workload. */
  public static isWorkload(x: unknown): x is Workload {
    return typeof x === 'object' && x !== null && (x as any)[WORKLOAD_SYMBOL] === true;
  }

  /** The workload's labels. */
  public readonly labels: { [key: string]: string };
  /** The binding: the resource the workload stands for and its platform, if the workload is managed. */
  public readonly binding?: WorkloadBinding;
  /** The platform of the binding. */
  public readonly platform: Platform;
  /** The bound Terraform resource, if the workload is managed. */
  public readonly resource?: TerraformResource;
  /** The addresses as host CIDRs (`10.0.0.5/32`); may hold Terraform expressions. */
  public readonly addressCidrs: string[];
  private configuredCidrs?: string[];
  private ranges?: string[];
  private possibleRanges?: string[];
  private readonly sharedCidrs: string[] = [];
  private sharedOrigin?: string;
  /** Segments named explicitly in the props. */
  public readonly explicitSegments: Segment[];
  /** The identity its rendered resources derive from: `stableId`, else the construct path. */
  public readonly identity: string;
  private readonly problems: string[] = [];
  private readonly stableIdValid: boolean;

  /** Declares a workload. */
  public constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    Object.defineProperty(this, WORKLOAD_SYMBOL, { value: true });
    this.labels = { ...(props.labels ?? {}) };
    this.explicitSegments = [...(props.segments ?? [])];
    this.identity = stableIdentity(this, props.stableId);
    const stableIdInvalid = stableIdProblems(props.stableId, this);
    this.problems.push(...stableIdInvalid);
    this.stableIdValid = stableIdInvalid.length === 0;
    const bindingAddresses = props.binding?.addresses ?? [];
    const addresses = [...(props.addresses ?? []), ...bindingAddresses];
    this.binding = props.binding;
    if (this.binding === undefined && addresses.length === 0) {
      this.problems.push('has no binding. Give binding from the factory of its platform (AwsBinding.instance(vm), AwsBinding.dbInstance(db) and the other AwsBinding factories, AzureBinding.networkInterface(nic) or another AzureBinding factory, VsphereBinding.virtualMachine(vm), KubernetesBinding.deployment(deployment) or KubernetesBinding.pods(namespace, labels), HostBinding.linux(addresses) for a server with its own firewall), or addresses for a host outside the model.');
    }
    const bindingProblems = this.binding?.validate() ?? [];
    this.problems.push(...bindingProblems);
    // A binding to the wrong resource fails the synth; until then no renderer sees the resource.
    const bound = bindingProblems.length === 0 ? this.binding : undefined;
    this.resource = bound?.resource;
    this.platform = bound?.platform ?? Platform.EXTERNAL;
    this.addressCidrs = [];
    // the addresses of a resource of several hosts (a scale set, a template) are their network's range
    const several = bound?.severalHosts === true;
    const own = (props.addresses ?? []).map((address) => this.addAddress(address, several)).filter((cidr): cidr is string => cidr !== undefined);
    // a bound resource named by a range shares it with the range's other hosts; a host known only by
    // its addresses is what they say
    const ranges = bound === undefined ? [] : own.filter((cidr) => (isExpression(cidr) ? several : !isHostCidr(cidr)));
    if (ranges.length > 0) this.markShared(ranges, 'its addresses');
    const origin = this.binding?.sharedAddressOrigin;
    // shared ranges are networks (a subnet's CIDR), never hosts: an expression stays as it is
    const lent = bindingAddresses.map((address) => this.addAddress(address, origin !== undefined))
      .filter((cidr): cidr is string => cidr !== undefined);
    if (origin !== undefined && lent.length > 0) this.markShared(lent, origin);
    for (const [key, value] of Object.entries(this.labels)) {
      // NSX writes a label as a tag scope and vSphere as a category name: neither can be empty
      if (key.trim() === '') this.problems.push(`has a label with an empty key (value ${JSON.stringify(value)}). Label keys are non-empty: name the label.`);
      if (typeof value !== 'string' || value === '') {
        this.problems.push(`label "${key}" has the value ${JSON.stringify(value)}. Label values are non-empty strings.`);
      }
    }
    this.node.addValidation({ validate: () => this.validateWorkload() });

    const registry = PolicyRegistry.of(this);
    if (this.stableIdValid) claimIdentity(registry, 'workload', this);
    registry.addWorkload(this);
    for (const segment of this.explicitSegments) registry.join(this, segment);
  }

  /** The workload's construct path, used in reports. */
  public get endpointName(): string {
    return this.node.path;
  }

  /** The segments this workload belongs to (explicit and selected), sorted by path. */
  public get segments(): Segment[] {
    return PolicyRegistry.of(this).segmentsOf(this).filter((s) => !s.implicit);
  }

  /**
   * The literal addresses the bound resource's configuration gives it (an instance's `private_ip`),
   * as host CIDRs: read at synthesis, when the resource's configuration is complete.
   */
  public get configuredAddressCidrs(): string[] {
    if (this.configuredCidrs === undefined) {
      const configured = this.resource === undefined ? [] : this.binding?.configuredAddresses ?? [];
      this.configuredCidrs = configured.flatMap((address) => {
        const family = familyOf(address);
        const checked = family ? checkCidr(hostCidr(address), family) : undefined;
        return checked?.cidr ? [checked.cidr] : [];
      });
    }
    return this.configuredCidrs;
  }

  /**
   * CIDRs that hold the workload's addresses of a family that neither its `addresses` nor its bound
   * resource's configuration give literally (the subnet of an AWS instance without a literal
   * `private_ip`, the subnet's IPv6 CIDR for an address AWS assigns): read at synthesis, once. An
   * address given as a Terraform expression leaves out the ranges of its family: it may lie anywhere.
   */
  public get addressRanges(): string[] {
    this.ranges ??= this.rangesOfUngivenFamilies(this.binding?.addressRanges ?? []);
    return this.ranges;
  }

  /**
   * CIDRs that hold the workload's addresses of a family it may or may not have, as synthesis can
   * tell (the subnet's IPv6 CIDR of an AWS instance whose `ipv6_address_count` is an expression),
   * for the families its `addresses` give none of: read at synthesis, once.
   */
  public get possibleAddressRanges(): string[] {
    this.possibleRanges ??= this.rangesOfUngivenFamilies(this.binding?.possibleAddressRanges ?? []);
    return this.possibleRanges;
  }

  /**
   * Whether the workload has no IPv4 address at all: its bound resource has none (an instance in an
   * IPv6-only subnet) and its `addresses` give none (an expression of IPv4 counts as one).
   */
  public get withoutIpv4(): boolean {
    return this.resource !== undefined && this.binding?.withoutIpv4 === true && !this.givenFamilies().has('ipv4');
  }

  /** Those of `ranges` of a family the workload's `addresses` give none of. */
  private rangesOfUngivenFamilies(ranges: readonly string[]): string[] {
    if (this.resource === undefined) return [];
    const given = this.givenFamilies();
    return ranges.filter((range) => !given.has(familyOf(range)));
  }

  /** The address families of the workload's `addresses`: an expression counts for the family its text names (see `addressFamilyOf`). */
  private givenFamilies(): Set<string | undefined> {
    return new Set(this.addressCidrs.map((address) => (isExpression(address) ? addressFamilyOf(address, this) : familyOf(address))));
  }

  /**
   * Allows traffic from `source` to this workload on the given ports. Like `Segment.allowFrom`, the
   * flow's identity leaves the ports out, so editing them updates its rules in place.
   */
  public allowFrom(source: IFlowEndpoint, ...ports: Port[]): AllowFlow {
    return declareFlowChild(this, 'From', source, this, ports);
  }

  /** Allows traffic from this workload to `destination` on the given ports (see {@link allowFrom}). */
  public allowTo(destination: IFlowEndpoint, ...ports: Port[]): AllowFlow {
    return declareFlowChild(this, 'To', this, destination, ports);
  }

  /** Allows traffic from `source` to this workload, with a description (same flow as {@link allowFrom}). */
  public allowFromWith(source: IFlowEndpoint, options: AllowOptions): AllowFlow {
    return declareFlowChild(this, 'From', source, this, options.ports ?? [], options.description);
  }

  /** Allows traffic from this workload to `destination`, with a description (same flow as {@link allowTo}). */
  public allowToWith(destination: IFlowEndpoint, options: AllowOptions): AllowFlow {
    return declareFlowChild(this, 'To', this, destination, options.ports ?? [], options.description);
  }

  /**
   * Gives the workload addresses it shares with other hosts (`cidrs`, added to `addressCidrs`): its
   * cluster's pod CIDRs, the subnets it runs in. Rules that name them admit those hosts too, which
   * a GuardrailAllow's exception must not do (see `sharedAddressCidrs`).
   * @internal
   */
  public _lendAddresses(cidrs: readonly string[], origin: string): void {
    this.addressCidrs.push(...cidrs);
    this.markShared(cidrs, origin);
  }

  /** Records that some of `addressCidrs` are ranges shared with other hosts, coming from `origin`. */
  private markShared(cidrs: readonly string[], origin: string): void {
    this.sharedCidrs.push(...cidrs);
    this.sharedOrigin = this.sharedOrigin === undefined ? origin : `${this.sharedOrigin}; ${origin}`;
  }

  /**
   * Those of `addressCidrs` that are ranges the workload shares with other hosts, not addresses of its
   * own: its cluster's pod CIDRs, the subnets of a resource without a fixed address.
   */
  public get sharedAddressCidrs(): string[] {
    return [...this.sharedCidrs];
  }

  /**
   * Where `sharedAddressCidrs` come from, as messages say it (`the pod CIDRs of KubernetesEnforcement 'k/Cluster'`).
   * @default - undefined when the workload has no shared addresses
   */
  public get sharedAddressOrigin(): string | undefined {
    return this.sharedOrigin;
  }

  /** Records a problem found by a renderer, reported when the app is synthesized. */
  public addProblem(problem: string): void {
    if (!this.problems.includes(problem)) this.problems.push(problem);
  }

  /**
   * @internal The hidden one-member segment that stands for this workload when a flow names the
   * workload itself.
   */
  public _asSegment(): Segment {
    // The construct tree, not a field, says whether it exists: the segment's constructor announces
    // it to the registry, whose renderers may ask for it again before that constructor returns.
    return (this.node.tryFindChild('Self') as Segment | undefined) ?? new Segment(this, 'Self', { members: [this] });
  }

  /**
   * Adds one address as a host CIDR; returns it, or undefined when it is not an address. An
   * expression gets its family's host prefix (`/32`, or `/128` when it names IPv6) unless it is a
   * `network` (a subnet's CIDR) or already has a prefix.
   */
  private addAddress(address: string, network: boolean): string | undefined {
    if (Token.isUnresolved(address)) {
      const host = addressFamilyOf(address, this) === 'ipv6' ? '/128' : '/32';
      const cidr = network || address.includes('/') ? address : `${address}${host}`;
      this.addressCidrs.push(cidr);
      return cidr;
    }
    const family = familyOf(address);
    if (!family) {
      this.problems.push(`address "${address}" is not an IP address or CIDR. Use forms like "10.0.1.10", "10.0.1.0/24" or "2001:db8::10".`);
      return undefined;
    }
    const cidr = hostCidr(address);
    const checked = checkCidr(cidr, family);
    if (checked.problem) {
      // a bare address is quoted as written, and so is the address the problem suggests
      const problem = cidr === address ? checked.problem
        : checked.problem.split(`"${cidr}"`).join(`"${address}"`).replace(/Did you mean "([^"/]+)\/(32|128)"\?/, 'Did you mean "$1"?');
      this.problems.push(`address ${problem}`);
      return undefined;
    }
    this.addressCidrs.push(checked.cidr!);
    return checked.cidr!;
  }

  private validateWorkload(): string[] {
    // an invalid stableId is reported as such, not as a clash
    const registry = PolicyRegistry.of(this);
    const clash = this.stableIdValid ? identityClash(registry, this) : undefined;
    const first = this.resource === undefined ? undefined : registry.workloadBoundTo(this.resource);
    // each workload writes the resource's group list (tags, memberships) whole: the last one would win
    const sharedResource = first !== undefined && first !== this
      ? `is bound to '${this.resource!.node.path}', which workload '${first.node.path}' is bound to as well: a resource is one workload, and each would write its security groups, tags or memberships over the other's. Declare one Workload for it, with the labels and segments of both.`
      : undefined;
    return [...this.problems, ...(clash ? [clash] : []), ...(sharedResource ? [sharedResource] : [])].map((problem) => `Workload '${this.node.path}' ${problem}`);
  }
}

const WORKLOAD_SYMBOL = Symbol.for('cdktf-microseg.Workload');
