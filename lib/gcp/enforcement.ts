import { TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { GcpEnforcementOrder } from './enforcement-order';
import { GCP_LIMITS } from './limits';
import { checkCidr, familyOf } from '../model/cidr';
import { digest } from '../private/identity';
import { PolicyRegistry } from '../registry';
import { warnOnce } from '../render/app-wide-validation';
import { StackEnforcement } from '../render/stack-enforcement';

/** Properties of {@link GcpEnforcement}. */
export interface GcpEnforcementProps {
  /**
   * The project id: the parent of the secure tag keys (`projects/<id>`) and the project of the
   * network firewall policy.
   */
  readonly project: string;

  /**
   * The VPC network (a `google_compute_network`, `ComputeNetwork` of
   * `@cdktf/provider-google/lib/compute-network`) that the stack declares. Its
   * `network_firewall_policy_enforcement_order` is set to `BEFORE_CLASSIC_FIREWALL` when unset;
   * `AFTER_CLASSIC_FIREWALL` fails synthesis.
   * @default - use `networkName` (one of the two is required)
   */
  readonly network?: TerraformResource;

  /**
   * An existing VPC network of `project` that the stack does not declare: its name, or its self
   * link or id (`projects/<project>/global/networks/<name>`). Give its enforcement order in
   * `networkEnforcementOrder`.
   * @default - use `network`
   */
  readonly networkName?: string;

  /**
   * The enforcement order of the existing network `networkName`, as it is configured. Unknown, the
   * synthesis fails: with `AFTER_CLASSIC_FIREWALL` (Google's default) any classic VPC firewall allow
   * rule (such as `default-allow-internal`) opens what the policy denies.
   * @default - none: required with `networkName`
   */
  readonly networkEnforcementOrder?: GcpEnforcementOrder;

  /**
   * CIDRs of the network's subnets where workloads without a fixed address run (instance templates
   * of managed instance groups): such a workload without `addresses` is named by these in the
   * rules that need its addresses (egress rules towards it, other platforms' rules). Wider than the
   * workload: every host of the subnets.
   * @default - none
   */
  readonly subnetCidrs?: string[];

  /**
   * A folder (`folders/123456789`) whose hierarchical firewall policy holds the guardrails: the
   * enforcement creates the policy (`google_compute_firewall_policy`), associates it with the
   * folder, and renders `DenyFlow`s there as `deny` rules and `GuardrailAllow`s as `goto_next`
   * rules ahead of them, limited to the network (`target_resources`) and naming both sides by
   * address (hierarchical rules cannot name network-scoped secure tags). A folder or organization
   * has one associated policy: two enforcements may not name the same one.
   * @default - guardrails go to the network firewall policy's guardrail bands
   */
  readonly folder?: string;

  /**
   * An organization (`organizations/123456789`) whose hierarchical firewall policy holds the
   * guardrails, as `folder` does.
   * @default - guardrails go to the network firewall policy's guardrail bands
   */
  readonly organization?: string;

  /**
   * The name of the network firewall policy (lowercase letters, digits and `-`, at most 63). With
   * `folder` or `organization` it also names the hierarchical policy, `<policyName>-guardrails`,
   * whose short name Google limits to 63 characters too: then at most 52.
   * @default - `microseg-` and a digest of the enforcement's construct path
   */
  readonly policyName?: string;

  /**
   * The project's quota of rule attributes per firewall policy ("Rule attributes per global network
   * firewall policy", and "... per hierarchical firewall policy" for the guardrail policy): synthesis
   * fails when a policy's rules would hold more. Raise it here once Google has raised the quota.
   * @default 2000 (Google's default quota)
   */
  readonly ruleAttributeQuota?: number;
}

/**
 * The Google Cloud enforcement of one VPC network in one stack: a global network firewall policy
 * associated with the network, a secure tag key (purpose `GCE_FIREWALL`) per segment with members
 * in the network and one for every managed workload, and the policy's rules: guardrails first,
 * then application flows, then a default deny in both directions for the managed workloads.
 */
export class GcpEnforcement extends Construct {
  /** The enforcement of the stack that `scope` belongs to, if any. */
  public static of(scope: Construct): GcpEnforcement | undefined {
    return GCP_ENFORCEMENT.of(scope);
  }

  /** The project id. */
  public readonly project: string;
  /** The network the stack declares, if given. */
  public readonly network?: TerraformResource;
  /** The name of the network (a reference for a declared network). */
  public readonly networkName: string;
  /** The network's id (`projects/<project>/global/networks/<name>`; a reference for a declared network). */
  public readonly networkId: string;
  /** The project of the network (an existing network's self link may name another, a Shared VPC host). */
  public readonly networkProject: string;
  /** Subnet CIDRs lent to workloads without a fixed address. */
  public readonly subnetCidrs: string[];
  /** The network firewall policy's name. */
  public readonly policyName: string;
  /** The folder or organization whose hierarchical policy holds the guardrails, if any. */
  public readonly hierarchyParent?: string;
  /** The quota of rule attributes per firewall policy that synthesis checks. */
  public readonly ruleAttributeQuota: number;
  private readonly problems: string[] = [];

  /** Declares the Google Cloud enforcement of a VPC network in this stack (one per stack). */
  public constructor(scope: Construct, id: string, props: GcpEnforcementProps) {
    super(scope, id);
    const stack = GCP_ENFORCEMENT.claim(this);
    this.project = props.project;
    this.network = props.network;
    this.subnetCidrs = this.cidrs(props.subnetCidrs ?? []);
    this.policyName = props.policyName ?? `microseg-${digest(this.node.path)}`;
    this.hierarchyParent = this.parentOf(props.folder, props.organization);
    this.ruleAttributeQuota = props.ruleAttributeQuota ?? GCP_LIMITS.ruleAttributesPerPolicy;
    if (!Number.isInteger(this.ruleAttributeQuota) || this.ruleAttributeQuota < 1) {
      this.problems.push(`has ruleAttributeQuota ${typeof props.ruleAttributeQuota === 'number' ? String(props.ruleAttributeQuota) : JSON.stringify(props.ruleAttributeQuota)}. Give the project's quota of rule attributes per firewall policy as a positive whole number, for example ruleAttributeQuota: 4000, or leave it unset for Google's default (${GCP_LIMITS.ruleAttributesPerPolicy}).`);
    }
    if (typeof this.project !== 'string' || this.project === '') {
      this.problems.push(`has project ${JSON.stringify(this.project)}. Give the project id, for example project: "shop-prod".`);
    }
    if (!Token.isUnresolved(this.policyName) && !/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(this.policyName)) {
      this.problems.push(`has policyName "${this.policyName}", which is not a Google Cloud resource name. Use lowercase letters, digits and "-" (at most 63, starting with a letter).`);
    }
    const guardrailPolicyName = `${this.policyName}-guardrails`;
    if (this.hierarchyParent && !Token.isUnresolved(this.policyName) && this.policyName.length <= 63 && guardrailPolicyName.length > 63) {
      this.problems.push(`has policyName "${this.policyName}" (${this.policyName.length} characters), which names the hierarchical firewall policy of ${this.hierarchyParent} "${guardrailPolicyName}": ${guardrailPolicyName.length} characters, and Google takes at most 63. Shorten policyName to at most 52 characters.`);
    }
    if (props.network && props.networkName !== undefined) {
      this.problems.push('names both network and networkName. Give network for a network this stack declares, networkName for an existing one.');
    }
    if (props.network) {
      const network = props.network as any;
      if (network.terraformResourceType !== 'google_compute_network') {
        this.problems.push(`has network '${props.network.node.path}' of type ${network.terraformResourceType}. Pass the google_compute_network (ComputeNetwork) itself.`);
        this.networkName = '';
        this.networkId = '';
        this.networkProject = this.project;
      } else {
        this.networkName = network.name;
        this.networkId = network.id;
        this.networkProject = this.project;
        this.requireOrder(network);
      }
    } else if (props.networkName !== undefined) {
      // a name, or a self link / id (`.../projects/<p>/global/networks/<name>`)
      const path = /(?:^|\/)(projects\/([^/]+)\/global\/networks\/([^/]+))$/.exec(props.networkName);
      this.networkName = path ? path[3] : props.networkName;
      this.networkId = path ? path[1] : `projects/${this.project}/global/networks/${props.networkName}`;
      this.networkProject = path ? path[2] : this.project;
      this.checkExternalOrder(this.networkName, props.networkEnforcementOrder);
    } else {
      this.networkName = '';
      this.networkId = '';
      this.networkProject = this.project;
      this.problems.push('names no network. Give network: vpc (a ComputeNetwork of this stack) or networkName: "prod-vpc" with networkEnforcementOrder for an existing one.');
    }
    this.node.addValidation({ validate: () => this.problems.map((p) => `GcpEnforcement '${this.node.path}' ${p}`) });
    PolicyRegistry.of(this).addEnforcement(stack);
  }

  /** The network's self link, as hierarchical rules name it in `target_resources`. */
  public get networkSelfLink(): string {
    return this.network ? (this.network as any).selfLink : `https://www.googleapis.com/compute/v1/${this.networkId}`;
  }

  /** `purpose_data.network` of the enforcement's tag keys: `<network's project>/<network name>`. */
  public get tagNetwork(): string {
    return `${this.networkProject}/${this.networkName}`;
  }

  /** A network the enforcement protects runs its network firewall policy before the classic VPC firewall rules. */
  private requireOrder(network: any): void {
    const order = network.networkFirewallPolicyEnforcementOrderInput as string | undefined;
    if (order === undefined) {
      network.networkFirewallPolicyEnforcementOrder = GcpEnforcementOrder.BEFORE_CLASSIC_FIREWALL;
      return;
    }
    if (Token.isUnresolved(order)) {
      this.problems.push(`protects network '${network.node.path}', whose network_firewall_policy_enforcement_order is a Terraform expression that cannot be checked. Leave it unset (the enforcement sets "BEFORE_CLASSIC_FIREWALL") or set it to "BEFORE_CLASSIC_FIREWALL".`);
    } else if (order !== GcpEnforcementOrder.BEFORE_CLASSIC_FIREWALL) {
      this.problems.push(`protects network '${network.node.path}', whose network_firewall_policy_enforcement_order is "${order}": classic VPC firewall rules would run before the network firewall policy, so any classic allow rule (such as default-allow-internal) opens what the policy denies. Leave it unset or set it to "BEFORE_CLASSIC_FIREWALL".`);
    }
  }

  private checkExternalOrder(name: string, order: GcpEnforcementOrder | undefined): void {
    if (order === undefined) {
      this.problems.push(`protects the existing network "${name}" without networkEnforcementOrder. Google's default is AFTER_CLASSIC_FIREWALL, under which classic VPC firewall allow rules (such as default-allow-internal) open what the policy denies. Set the network's order to BEFORE_CLASSIC_FIREWALL (gcloud compute networks update ${name} --network-firewall-policy-enforcement-order=BEFORE_CLASSIC_FIREWALL) and state networkEnforcementOrder: GcpEnforcementOrder.BEFORE_CLASSIC_FIREWALL.`);
    } else if (order === GcpEnforcementOrder.AFTER_CLASSIC_FIREWALL) {
      warnOnce(this, `[microseg-gcp-classic-rules-first] GcpEnforcement '${this.node.path}' protects the existing network "${name}", whose classic VPC firewall rules run before its network firewall policy (AFTER_CLASSIC_FIREWALL): a classic allow rule there opens what the policy denies. Switch the network to BEFORE_CLASSIC_FIREWALL, or make sure it has no classic allow rules.`);
    } else if (order !== GcpEnforcementOrder.BEFORE_CLASSIC_FIREWALL) {
      this.problems.push(`has networkEnforcementOrder ${JSON.stringify(order)}. Use GcpEnforcementOrder.BEFORE_CLASSIC_FIREWALL.`);
    }
  }

  private parentOf(folder: string | undefined, organization: string | undefined): string | undefined {
    if (folder !== undefined && organization !== undefined) {
      this.problems.push(`names both folder "${folder}" and organization "${organization}". Give the one whose hierarchical firewall policy holds the guardrails.`);
      return undefined;
    }
    const [value, kind] = folder !== undefined ? [folder, 'folders'] : organization !== undefined ? [organization, 'organizations'] : [undefined, ''];
    if (value === undefined || Token.isUnresolved(value)) return value;
    const bare = /^\d+$/.test(value) ? `${kind}/${value}` : value;
    if (!new RegExp(`^${kind}/\\d+$`).test(bare)) {
      this.problems.push(`has ${kind === 'folders' ? 'folder' : 'organization'} "${value}", which is not a ${kind === 'folders' ? 'folder' : 'organization'} id. Give it as "${kind}/123456789".`);
      return undefined;
    }
    return bare;
  }

  private cidrs(values: string[]): string[] {
    const out: string[] = [];
    for (const value of values) {
      if (Token.isUnresolved(value)) {
        out.push(value);
        continue;
      }
      const family = familyOf(value);
      const checked: { cidr?: string; problem?: string } = family ? checkCidr(value, family) : { problem: `"${value}" is not a CIDR.` };
      if (checked.cidr) out.push(checked.cidr);
      else this.problems.push(`subnetCidrs: ${checked.problem ?? `"${value}" is not a CIDR.`} Use a network such as "10.10.0.0/24".`);
    }
    return out;
  }
}

const GCP_ENFORCEMENT = new StackEnforcement<GcpEnforcement>('GcpEnforcement', 'Declare one per stack (one VPC network per stack).');
