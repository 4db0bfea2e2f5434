import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { PolicyRegistry } from '../registry';
import { isValidDenyPriority } from './deny-priority';
import { StackEnforcement } from '../render/stack-enforcement';

/** Properties of {@link AzureEnforcement}. */
export interface AzureEnforcementProps {
  /** The resource group that holds the NSGs and ASGs the policy creates. */
  readonly resourceGroupName: string;

  /** The Azure region of the NSGs and ASGs (the VNet's region). */
  readonly location: string;

  /**
   * Subnets that get one policy NSG each (associated with
   * `azurerm_subnet_network_security_group_association`). Each subnet's NSG keeps its name when
   * the list changes (its number, first its position, is kept in the allocation file). A subnet can
   * have only one NSG: do not associate another.
   * @default - no subnet NSGs
   */
  readonly subnetIds?: string[];

  /**
   * Whether every Azure workload's NIC gets its own policy NSG (associated with
   * `azurerm_network_interface_security_group_association`). A NIC can have only one NSG.
   * @default false
   */
  readonly nicNsgs?: boolean;

  /**
   * Rules allowed per NSG, the two deny rules included (Azure's limit: 1000).
   * @default 1000
   */
  readonly maxRulesPerNsg?: number;

  /**
   * Priority of the deny-all rules that shadow Azure's permissive default rules, in both
   * directions. Application allow rules get priorities from 200 to `denyPriority - 1`; 100-199 is
   * the guardrail band (GuardrailAllow 100-149, DenyFlow 150-199).
   * @default 4096
   */
  readonly denyPriority?: number;

  /**
   * Whether every NSG allows the Azure Load Balancer health probe in (an `Allow` rule from the
   * `AzureLoadBalancer` service tag, any protocol and port, at `denyPriority - 1`, just above the
   * inbound deny). Without it the deny-all rule shadows Azure's own AllowAzureLoadBalancerInBound
   * and members behind a load balancer are marked unhealthy. On by default: any NSG whose members
   * sit behind a load balancer needs it, and the probe source (`168.63.129.16`, the
   * `AzureLoadBalancer` tag) carries no traffic from anywhere else. DenyFlows (150-199) still take
   * precedence over it. Turn it off to block the probe, or to allow it per segment and port with
   * `segment.allowFrom(Peer.azureServiceTag('AzureLoadBalancer'), port)`.
   * @default true
   */
  readonly allowLoadBalancerProbes?: boolean;

  /**
   * Tags added to every NSG and ASG the policy creates.
   * @default - none besides the microseg tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * Enforces the policy of Azure workloads in this stack (one VNet) with application security
 * groups (one per segment with Azure members) and network security groups on subnets and/or NICs,
 * default-deny both ways.
 */
export class AzureEnforcement extends Construct {
  /** The Azure enforcement of the stack that `scope` belongs to, if any. */
  public static of(scope: Construct): AzureEnforcement | undefined {
    return AZURE_ENFORCEMENT.of(scope);
  }

  /** The resource group of the NSGs and ASGs. */
  public readonly resourceGroupName: string;
  /** The region of the NSGs and ASGs. */
  public readonly location: string;
  /** Subnets with a policy NSG. */
  public readonly subnetIds: string[];
  /** Whether each workload NIC gets a policy NSG. */
  public readonly nicNsgs: boolean;
  /** Rules allowed per NSG. */
  public readonly maxRulesPerNsg: number;
  /** Priority of the deny-all rules. */
  public readonly denyPriority: number;
  /** Whether every NSG allows the Azure Load Balancer health probe in, at `denyPriority - 1`. */
  public readonly allowLoadBalancerProbes: boolean;
  /** Tags added to every NSG and ASG. */
  public readonly tags: { [key: string]: string };

  /** Declares the Azure enforcement of a stack (at most one per stack). */
  public constructor(scope: Construct, id: string, props: AzureEnforcementProps) {
    super(scope, id);
    const stack = AZURE_ENFORCEMENT.claim(this);
    this.resourceGroupName = props.resourceGroupName;
    this.location = props.location;
    this.subnetIds = [...(props.subnetIds ?? [])];
    this.nicNsgs = props.nicNsgs ?? false;
    this.maxRulesPerNsg = props.maxRulesPerNsg ?? 1000;
    this.denyPriority = props.denyPriority ?? 4096;
    this.allowLoadBalancerProbes = props.allowLoadBalancerProbes ?? true;
    this.tags = { ...(props.tags ?? {}) };
    this.node.addValidation({ validate: () => this.validateProps() });

    // Loaded here, not at the top: the Azure provider package loads only when an app uses Azure.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { placeSubnetNsgs } = require('./subnet-nsgs') as typeof import('./subnet-nsgs');
    placeSubnetNsgs(this);
    PolicyRegistry.of(this).addEnforcement(stack);
  }

  /** The rules every NSG of the enforcement holds besides the flows': the two deny rules and the load-balancer probe rule. */
  public get ownRulesPerNsg(): number {
    return this.allowLoadBalancerProbes ? 3 : 2;
  }

  /** The priority of the load-balancer probe rule: just above the inbound deny. */
  public get loadBalancerProbePriority(): number {
    return this.denyPriority - 1;
  }

  private validateProps(): string[] {
    const problems: string[] = [];
    const me = `AzureEnforcement '${this.node.path}'`;
    if (this.subnetIds.length === 0 && !this.nicNsgs) {
      problems.push(`${me} places no NSG (subnetIds is empty and nicNsgs is not set), so nothing enforces the policy. Pass subnetIds: [subnet.id] and/or nicNsgs: true.`);
    }
    if (!isValidDenyPriority(this.denyPriority)) {
      problems.push(`${me}: denyPriority ${this.denyPriority} is outside 201-4096 (100-199 is the guardrail band, and application allow rules need priorities from 200 below it). Use the default 4096.`);
    }
    const ownRules = this.ownRulesPerNsg;
    if (!(Number.isInteger(this.maxRulesPerNsg) && this.maxRulesPerNsg > ownRules && this.maxRulesPerNsg <= 1000)) {
      problems.push(`${me}: maxRulesPerNsg ${this.maxRulesPerNsg} is outside ${ownRules + 1}-1000 (each NSG holds ${ownRules} rules of its own, and Azure's limit is 1000 rules per NSG). Use the default 1000.`);
    }
    const literal = this.subnetIds.filter((s) => !Token.isUnresolved(s));
    const duplicates = literal.filter((s, i) => literal.indexOf(s) !== i);
    if (duplicates.length > 0) {
      problems.push(`${me}: subnet "${duplicates[0]}" appears twice in subnetIds; a subnet has one NSG. Remove the duplicate.`);
    }
    return problems;
  }
}

const AZURE_ENFORCEMENT = new StackEnforcement<AzureEnforcement>('AzureEnforcement', 'Declare one per stack (one VNet per stack).');
