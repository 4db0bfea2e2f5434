import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { PolicyRegistry } from '../registry';
import { StackEnforcement } from '../render/stack-enforcement';
import { Segment } from '../segment';
import { DEFAULT_EPHEMERAL_PORTS } from './default-ephemeral-ports';

/** Properties of {@link AwsEnforcement}. */
export interface AwsEnforcementProps {
  /** The VPC whose security groups enforce the policy (`vpc.id`). */
  readonly vpcId: string;

  /**
   * Rules allowed per security group per direction (AWS default quota: 60; it can be raised, but
   * times `maxGroupsPerInterface` it stays at most 1000).
   * @default 60
   */
  readonly maxRulesPerGroup?: number;

  /**
   * Security groups allowed per network interface (AWS default quota: 5; at most 16).
   * @default 5
   */
  readonly maxGroupsPerInterface?: number;

  /**
   * Tags added to every security group the policy creates.
   * @default - none besides the microseg tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Subnets of this VPC and the segments whose workloads live in them (a segment may span several
   * subnets, a subnet may serve several segments); with `networkAcls` they get network ACLs.
   * @default - no subnets mapped (add them later with `addSubnet`)
   */
  readonly subnets?: AwsSubnetMapping[];

  /**
   * Renders a network ACL for every mapped subnet as a second, stateless layer under the security
   * groups: default deny, plus the request and return traffic of every flow crossing the subnet.
   * @default false
   */
  readonly networkAcls?: boolean;

  /**
   * Destination ports of return traffic in network ACLs (the clients' ephemeral ports).
   * @default - 1024-65535, which covers Linux, Windows, NAT gateways and load balancers
   */
  readonly ephemeralPorts?: AwsPortRange;

  /**
   * Rules allowed per network ACL per direction and address family, the default deny included
   * (AWS default quota: 20; it can be raised to 40).
   * @default 20
   */
  readonly maxNetworkAclRules?: number;
}

/** A subnet that holds workloads of a segment, for the network ACL layer. */
export interface AwsSubnetMapping {
  /** The segment whose AWS workloads live in the subnet. */
  readonly segment: Segment;
  /** The subnet id (`subnet.id`). */
  readonly subnetId: string;
  /** The subnet's IPv4 CIDR as a literal (`subnet.cidrBlockInput`, not the `cidrBlock` attribute). */
  readonly cidr: string;
}

/** An inclusive range of ports. */
export interface AwsPortRange {
  /** First port. */
  readonly from: number;
  /** Last port. */
  readonly to: number;
}

/**
 * Enforces the policy of AWS workloads in this stack with security groups in one VPC: one group
 * per segment with AWS members, default-deny both ways.
 */
export class AwsEnforcement extends Construct {
  /** The AWS enforcement of the stack that `scope` belongs to, if any. */
  public static of(scope: Construct): AwsEnforcement | undefined {
    return AWS_ENFORCEMENT.of(scope);
  }

  /** The VPC id. */
  public readonly vpcId: string;
  /** Rules allowed per group per direction. */
  public readonly maxRulesPerGroup: number;
  /** Groups allowed per network interface. */
  public readonly maxGroupsPerInterface: number;
  /** Tags added to every group. */
  public readonly tags: { [key: string]: string };
  /** Whether mapped subnets get network ACLs. */
  public readonly networkAcls: boolean;
  /** Destination ports of return traffic in network ACLs. */
  public readonly ephemeralPorts: AwsPortRange;
  /** Rules allowed per network ACL per direction, the default deny included. */
  public readonly maxNetworkAclRules: number;
  private readonly subnetMappings: AwsSubnetMapping[] = [];
  private readonly subnetListeners: Array<(mapping: AwsSubnetMapping) => void> = [];

  /** Declares the AWS enforcement of a stack (at most one per stack). */
  public constructor(scope: Construct, id: string, props: AwsEnforcementProps) {
    super(scope, id);
    const stack = AWS_ENFORCEMENT.claim(this);
    this.vpcId = props.vpcId;
    this.maxRulesPerGroup = props.maxRulesPerGroup ?? 60;
    this.maxGroupsPerInterface = props.maxGroupsPerInterface ?? 5;
    this.tags = { ...(props.tags ?? {}) };
    this.networkAcls = props.networkAcls ?? false;
    const ephemeral = props.ephemeralPorts;
    this.ephemeralPorts = { from: ephemeral?.from ?? DEFAULT_EPHEMERAL_PORTS.from, to: ephemeral?.to ?? DEFAULT_EPHEMERAL_PORTS.to };
    this.maxNetworkAclRules = props.maxNetworkAclRules ?? 20;
    this.subnetMappings.push(...(props.subnets ?? []));
    this.node.addValidation({ validate: () => this.validateProps() });
    PolicyRegistry.of(this).addEnforcement(stack);
  }

  /** The subnets mapped to segments so far. */
  public get subnets(): AwsSubnetMapping[] {
    return [...this.subnetMappings];
  }

  /** Maps a subnet to a segment whose workloads live in it (see `subnets`). */
  public addSubnet(mapping: AwsSubnetMapping): void {
    this.subnetMappings.push(mapping);
    for (const listener of this.subnetListeners) listener(mapping);
  }

  /**
   * @internal Whether this enforcement's security groups and `other`'s live in one VPC, where a rule
   * names a member by its group; across VPCs it names it by its addresses.
   */
  public _sharesNetworkWith(other: AwsEnforcement): boolean {
    return this === other || (!Token.isUnresolved(this.vpcId) && this.vpcId === other.vpcId);
  }

  /**
   * @internal Calls `listener` for every subnet mapping, those made so far (unless `existing` is
   * false) and those made later.
   */
  public _watchSubnets(listener: (mapping: AwsSubnetMapping) => void, options: { readonly existing?: boolean } = {}): void {
    this.subnetListeners.push(listener);
    if (options.existing === false) return;
    for (const mapping of this.subnetMappings) listener(mapping);
  }

  private validateProps(): string[] {
    const problems: string[] = [];
    if (!(Number.isInteger(this.maxRulesPerGroup) && this.maxRulesPerGroup >= 1 && this.maxRulesPerGroup <= 1000)) {
      problems.push(`AwsEnforcement '${this.node.path}': maxRulesPerGroup ${this.maxRulesPerGroup} is not a whole number from 1 to 1000. Set your account's "Inbound or outbound rules per security group" quota (60 by default).`);
    }
    if (!(Number.isInteger(this.maxGroupsPerInterface) && this.maxGroupsPerInterface >= 1 && this.maxGroupsPerInterface <= 16)) {
      problems.push(`AwsEnforcement '${this.node.path}': maxGroupsPerInterface ${this.maxGroupsPerInterface} is not a whole number from 1 to 16 (the AWS hard limit is 16). Set your account's "Security groups per network interface" quota (5 by default).`);
    }
    const product = this.maxRulesPerGroup * this.maxGroupsPerInterface;
    if (product > 1000) {
      problems.push(`AwsEnforcement '${this.node.path}': maxRulesPerGroup ${this.maxRulesPerGroup} times maxGroupsPerInterface ${this.maxGroupsPerInterface} is ${product}; AWS keeps the product of the two quotas at 1000 at most, so no account has both. Set the values your account's quotas have.`);
    }
    if (!(Number.isInteger(this.maxNetworkAclRules) && this.maxNetworkAclRules >= 2 && this.maxNetworkAclRules <= 40)) {
      problems.push(`AwsEnforcement '${this.node.path}': maxNetworkAclRules ${this.maxNetworkAclRules} is outside 2-40 (AWS allows 20 per direction by default, 40 at most). Set a value from 2 to 40.`);
    }
    const { from, to } = this.ephemeralPorts;
    if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 1 && from <= to && to <= 65535)) {
      problems.push(`AwsEnforcement '${this.node.path}': ephemeralPorts ${from}-${to} is not a port range within 1-65535. Use { from: 1024, to: 65535 } unless every client uses a narrower range.`);
    }
    return problems;
  }
}

const AWS_ENFORCEMENT = new StackEnforcement<AwsEnforcement>('AwsEnforcement', 'Declare one per stack (one VPC per stack).');
