import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Platform } from '../platform';
import { NSX_DISPLAY_NAME_MAX } from './nsx-address';
import { managedVmTag, NSX_SCOPE_MAX, NSX_TAG_MAX } from './nsx-tag';
import { appWide } from '../private/app-wide';
import { bulkResource } from '../private/bulk-resource';
import { holdsConstruct } from '../private/holds-construct';
import { PolicyRegistry } from '../registry';
import { NsxPolicyCategory } from './policy-category';
import { StackEnforcement } from '../render/stack-enforcement';
import { Workload } from '../workload';
import { NsxtPolicyParentSecurityPolicy } from './nsx/policy-parent-security-policy';
import { NsxtTag } from './nsx/policy-vm-tags';
import { NsxtProvider } from './nsx/provider';

/** Properties of {@link NsxEnforcement}. */
export interface NsxEnforcementProps {
  /**
   * NSX policy domain that holds the groups and the security policy.
   * @default 'default'
   */
  readonly domain?: string;

  /**
   * Distributed firewall category of the policy.
   * @default NsxPolicyCategory.APPLICATION
   */
  readonly category?: NsxPolicyCategory;

  /**
   * Scope of the NSX tags (and name of the vSphere tag category) that mark segment membership.
   * @default 'microseg'
   */
  readonly tagScope?: string;

  /**
   * Sequence number of the security policy inside its category (lower runs first), 0-999,999.
   * @default 1000
   */
  readonly policySequenceNumber?: number;

  /**
   * Display name of the security policy (1-255 characters).
   * @default - `microseg-<stack name>`
   */
  readonly policyName?: string;

  /**
   * Whether the policy's rules log the packets they match.
   * @default true
   */
  readonly logging?: boolean;

  /**
   * Whether to mirror labels and segments as vSphere tags (a tag category per label key and one
   * for segments), so the vCenter inventory shows them too. Enforcement uses NSX tags only.
   * @default true
   */
  readonly vsphereTags?: boolean;

  /**
   * Prefix of the vSphere tag category names. Category names are unique per vCenter (case
   * ignored), so the default prefix is the enforcement's construct path (`dc/Nsx/app`); two
   * categories of one app with the same name are a synth error. Set a prefix that is unique in the
   * vCenter when several apps share it.
   * @default - `<construct path of this enforcement>/`
   */
  readonly vsphereCategoryPrefix?: string;

  /**
   * Distributed firewall category of the guardrail policy, which holds the rules of `DenyFlow`s
   * (DROP) and `GuardrailAllow`s (ALLOW). It must come before `category` so that guardrails win
   * over application flows.
   * @default NsxPolicyCategory.EMERGENCY
   */
  readonly guardrailCategory?: NsxPolicyCategory;

  /**
   * Sequence number of the guardrail policy inside its category, 0-999,999.
   * @default 1000
   */
  readonly guardrailSequenceNumber?: number;

  /**
   * Display name of the guardrail policy (1-255 characters).
   * @default - `microseg-guardrails-<stack name>`
   */
  readonly guardrailPolicyName?: string;

  /**
   * Rules allowed in the security policy, default-deny rules included (NSX: 1000).
   * @default 1000
   */
  readonly maxRulesPerPolicy?: number;

  /**
   * Groups allowed on one side (source or destination) of a rule (NSX: 128).
   * @default 128
   */
  readonly maxGroupsPerRuleSide?: number;

  /**
   * NSX tags allowed on one VM (NSX 3.x and later: 30).
   * @default 30
   */
  readonly maxTagsPerVm?: number;
}

/**
 * Enforces the policy of vSphere workloads in this stack with the NSX distributed firewall: NSX
 * tags mark segment membership, one group per segment selects its tagged VMs, and one parent
 * security policy holds a rule per flow and, at its end, DROP rules that make the policy's groups
 * default-deny in both directions (the global default rule of NSX allows).
 */
export class NsxEnforcement extends Construct {
  /** @internal Every NSX enforcement of the app that `scope` belongs to, in declaration order. */
  public static _allOf(scope: Construct): NsxEnforcement[] {
    return [...enforcementsOfApp(scope)];
  }

  /** The NSX enforcement of the stack that `scope` belongs to, if any. */
  public static of(scope: Construct): NsxEnforcement | undefined {
    return NSX_ENFORCEMENT.of(scope);
  }

  /** NSX policy domain. */
  public readonly domain: string;
  /** Distributed firewall category of the policy. */
  public readonly category: NsxPolicyCategory;
  /** Scope of the NSX tags that mark segment membership. */
  public readonly tagScope: string;
  /** Sequence number of the policy in its category. */
  public readonly policySequenceNumber: number;
  /** Display name of the policy. */
  public readonly policyName: string;
  /** Whether rules log. */
  public readonly logging: boolean;
  /** Whether labels and segments are mirrored as vSphere tags. */
  public readonly vsphereTags: boolean;
  /** Prefix of vSphere tag category names. */
  public readonly vsphereCategoryPrefix: string;
  /**
   * The NSX tag value (under `tagScope`) that every VM of this enforcement carries: the scope of
   * its default-deny rules, derived from its construct path so that another enforcement's VMs
   * (another team's stack) are never covered.
   */
  public readonly managedVmTag: string;
  /** Rules allowed per policy. */
  public readonly maxRulesPerPolicy: number;
  /** Groups allowed per rule side. */
  public readonly maxGroupsPerRuleSide: number;
  /** NSX tags allowed per VM. */
  public readonly maxTagsPerVm: number;
  /** The parent security policy that holds the rules. */
  public readonly policy: NsxtPolicyParentSecurityPolicy;
  /** Category of the guardrail policy. */
  public readonly guardrailCategory: NsxPolicyCategory;
  /** Sequence number of the guardrail policy in its category. */
  public readonly guardrailSequenceNumber: number;
  /** Display name of the guardrail policy. */
  public readonly guardrailPolicyName: string;
  private guardrails?: NsxtPolicyParentSecurityPolicy;
  private readonly keptTags = new Map<Workload, NsxtTag[]>();
  private readonly keptTagListeners: Array<(workload: Workload) => void> = [];

  /** Declares the NSX enforcement of a stack (at most one per stack). */
  public constructor(scope: Construct, id: string, props: NsxEnforcementProps = {}) {
    super(scope, id);
    const stack = NSX_ENFORCEMENT.claim(this);
    this.domain = props.domain ?? 'default';
    this.category = props.category ?? NsxPolicyCategory.APPLICATION;
    this.tagScope = props.tagScope ?? 'microseg';
    this.policySequenceNumber = props.policySequenceNumber ?? 1000;
    this.policyName = props.policyName ?? `microseg-${stack.node.id}`;
    this.logging = props.logging ?? true;
    this.vsphereTags = props.vsphereTags ?? true;
    this.vsphereCategoryPrefix = props.vsphereCategoryPrefix ?? `${this.node.path}/`;
    this.managedVmTag = managedVmTag(this.node.path);
    enforcementsOfApp(this).push(this);
    this.maxRulesPerPolicy = props.maxRulesPerPolicy ?? 1000;
    this.maxGroupsPerRuleSide = props.maxGroupsPerRuleSide ?? 128;
    this.maxTagsPerVm = props.maxTagsPerVm ?? 30;
    this.policy = bulkResource(new NsxtPolicyParentSecurityPolicy(this, 'Policy', {
      displayName: this.policyName,
      description: `microseg policy of stack ${stack.node.path}`,
      domain: this.domain,
      category: this.category,
      sequenceNumber: this.policySequenceNumber,
      stateful: true,
      tcpStrict: true,
    }));
    this.guardrailCategory = props.guardrailCategory ?? NsxPolicyCategory.EMERGENCY;
    this.guardrailSequenceNumber = props.guardrailSequenceNumber ?? 1000;
    this.guardrailPolicyName = props.guardrailPolicyName ?? `microseg-guardrails-${stack.node.id}`;
    this.node.addValidation({ validate: () => this.validateProps() });
    PolicyRegistry.of(this).addEnforcement(stack);
  }

  /**
   * Keeps NSX tags that other tools set on a VM of this enforcement (a backup policy's tag, a
   * security scanner's): `nsxt_policy_vm_tags` writes the VM's complete tag set, so every tag it
   * does not list is removed at apply. The tags kept are written with the VM's labels, segment tags
   * and managed tag, and count towards `maxTagsPerVm`. Their scope must not be the tag scope of an
   * NSX enforcement (a kept tag must never make a VM a segment member).
   */
  public keepVmTags(workload: Workload, tags: NsxtTag[]): void {
    const kept = this.keptTags.get(workload) ?? [];
    for (const tag of tags) {
      if (!kept.some((k) => k.scope === tag.scope && k.tag === tag.tag)) kept.push({ scope: tag.scope ?? '', tag: tag.tag ?? '' });
    }
    this.keptTags.set(workload, kept);
    for (const listener of this.keptTagListeners) listener(workload);
  }

  /** @internal The tags kept on a workload's VM by {@link keepVmTags}, in the order given. */
  public _keptVmTags(workload: Workload): readonly NsxtTag[] {
    return this.keptTags.get(workload) ?? [];
  }

  /** @internal Calls `listener` with each workload whose kept tags change from now on. */
  public _onKeptVmTags(listener: (workload: Workload) => void): void {
    this.keptTagListeners.push(listener);
  }

  /**
   * @internal The guardrail parent policy, created with the first guardrail rule (so stacks
   * without guardrails render no empty policy).
   */
  public _guardrailPolicy(): NsxtPolicyParentSecurityPolicy {
    if (!this.guardrails) {
      this.guardrails = bulkResource(new NsxtPolicyParentSecurityPolicy(this, 'GuardrailPolicy', {
        displayName: this.guardrailPolicyName,
        description: `microseg guardrails (DenyFlow, GuardrailAllow) of stack ${TerraformStack.of(this).node.path}`,
        domain: this.domain,
        category: this.guardrailCategory,
        sequenceNumber: this.guardrailSequenceNumber,
        stateful: true,
        tcpStrict: true,
      }));
    }
    return this.guardrails;
  }

  private keptTagProblems(name: string): string[] {
    const problems: string[] = [];
    const scopes = NsxEnforcement._allOf(this).map((e) => e.tagScope.toLowerCase());
    for (const [workload, tags] of this.keptTags) {
      const subject = `${name}: keepVmTags(Workload '${workload.node.path}')`;
      if (workload.platform !== Platform.NSX || NsxEnforcement.of(workload) !== this) {
        problems.push(`${subject}: the workload is not a vSphere VM of this enforcement's stack, so this enforcement writes no NSX tags for it. Call keepVmTags on the NsxEnforcement of the workload's stack.`);
      }
      for (const tag of tags) {
        const text = `${JSON.stringify(tag.scope)}|${JSON.stringify(tag.tag)}`;
        if (scopes.includes((tag.scope ?? '').toLowerCase())) {
          problems.push(`${subject}: the tag ${text} has the scope of an NSX enforcement's segment tags, so it could make the VM a segment member. Keep only tags of other scopes.`);
        }
        if ((tag.scope ?? '').length > NSX_SCOPE_MAX || (tag.tag ?? '').length > NSX_TAG_MAX) {
          problems.push(`${subject}: the tag ${text} is longer than NSX allows (scope ${NSX_SCOPE_MAX}, tag ${NSX_TAG_MAX} characters).`);
        }
      }
    }
    return problems;
  }

  private validateProps(): string[] {
    const problems: string[] = [];
    const name = `NsxEnforcement '${this.node.path}'`;
    if (!(Number.isInteger(this.maxRulesPerPolicy) && this.maxRulesPerPolicy >= 3 && this.maxRulesPerPolicy <= 1000)) {
      problems.push(`${name}: maxRulesPerPolicy ${this.maxRulesPerPolicy} is outside 3-1000 (NSX allows 1000 rules per policy; two are the default-deny rules).`);
    }
    if (!(Number.isInteger(this.maxGroupsPerRuleSide) && this.maxGroupsPerRuleSide >= 1 && this.maxGroupsPerRuleSide <= 128)) {
      problems.push(`${name}: maxGroupsPerRuleSide ${this.maxGroupsPerRuleSide} is outside 1-128.`);
    }
    if (!(Number.isInteger(this.maxTagsPerVm) && this.maxTagsPerVm >= 1 && this.maxTagsPerVm <= 30)) {
      problems.push(`${name}: maxTagsPerVm ${this.maxTagsPerVm} is outside 1-30.`);
    }
    for (const [prop, value] of [['policySequenceNumber', this.policySequenceNumber], ['guardrailSequenceNumber', this.guardrailSequenceNumber]] as const) {
      if (!(Number.isInteger(value) && value >= 0 && value <= NSX_POLICY_SEQUENCE_MAX)) {
        problems.push(`${name}: ${prop} ${value} is outside 0-${NSX_POLICY_SEQUENCE_MAX} (the range NSX allows for a policy's sequence_number). Use an integer in that range, for example ${Math.min(Math.max(Math.round(Number.isFinite(value) ? value : 1000), 0), NSX_POLICY_SEQUENCE_MAX)}.`);
      }
    }
    for (const [prop, value] of [['policyName', this.policyName], ['guardrailPolicyName', this.guardrailPolicyName]] as const) {
      if (value.trim() === '' || value.length > NSX_DISPLAY_NAME_MAX) {
        problems.push(`${name}: ${prop} ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)} is not a valid NSX display_name (1-${NSX_DISPLAY_NAME_MAX} characters, not blank). Give a shorter, non-empty name, or leave it out for the default.`);
      }
    }
    const order = [
      NsxPolicyCategory.ETHERNET, NsxPolicyCategory.EMERGENCY, NsxPolicyCategory.INFRASTRUCTURE,
      NsxPolicyCategory.ENVIRONMENT, NsxPolicyCategory.APPLICATION,
    ];
    if (this.guardrails && order.indexOf(this.guardrailCategory) >= order.indexOf(this.category)) {
      problems.push(`${name}: guardrailCategory "${this.guardrailCategory}" is not evaluated before category "${this.category}", so application flows would override guardrails. Use NsxPolicyCategory.EMERGENCY (the default) or ENVIRONMENT.`);
    }
    if (this.guardrailCategory === NsxPolicyCategory.ETHERNET) {
      problems.push(`${name}: guardrailCategory "Ethernet" holds layer-2 rules only. Use NsxPolicyCategory.EMERGENCY (the default) or ENVIRONMENT.`);
    }
    // another team's application ALLOWs apply at every member of their segments, this team's VMs
    // included: evaluated first (or in no defined order), they would override this team's DenyFlows
    const rank = (category: NsxPolicyCategory, sequence: number) => [order.indexOf(category), sequence];
    for (const other of enforcementsOfApp(this)) {
      if (other === this || !this.guardrails) continue;
      const [guardCategory, guardSequence] = rank(this.guardrailCategory, this.guardrailSequenceNumber);
      const [appCategory, appSequence] = rank(other.category, other.policySequenceNumber);
      if (guardCategory < appCategory || (guardCategory === appCategory && guardSequence < appSequence)) continue;
      problems.push(`${name}: its guardrail policy (category "${this.guardrailCategory}", sequence_number ${this.guardrailSequenceNumber}) is not evaluated before the application policy of NsxEnforcement '${other.node.path}' (category "${other.category}", sequence_number ${other.policySequenceNumber}), whose ALLOW rules apply to every member of their segments, this enforcement's VMs included, so they would override its DenyFlows. Give every enforcement of the app a guardrailCategory evaluated before every enforcement's category (the defaults, EMERGENCY and APPLICATION, are), or, in one category, a lower guardrailSequenceNumber than the other's policySequenceNumber.`);
    }
    problems.push(...this.keptTagProblems(name));
    const stack = TerraformStack.of(this);
    if (!holdsConstruct(stack, (c) => c instanceof NsxtProvider)) {
      problems.push(`${name}: stack '${stack.node.path}' has no NSX provider, so Terraform would look for "hashicorp/nsxt". Add new nsxt.NsxtProvider(stack, 'nsxt', { host, username, password }) (import { nsxt } from 'cdktf-microseg') to that stack.`);
    }
    for (const other of enforcementsOfApp(this)) {
      if (other === this || other.node.path >= this.node.path) continue; // each pair reported once
      if (other.tagScope.toLowerCase() === this.tagScope.toLowerCase() && other.managedVmTag.toLowerCase() === this.managedVmTag.toLowerCase()) {
        problems.push(`${name}: its VMs would carry the same NSX tag "${this.tagScope}|${this.managedVmTag}" as the VMs of NsxEnforcement '${other.node.path}' (NSX compares tags without regard to case), so each policy's default deny would also cover the other's VMs. Rename one of the stacks or enforcements, or give one of them another tagScope.`);
      }
    }
    if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(this.tagScope)) {
      problems.push(`${name}: tagScope "${this.tagScope}" must be 1-128 characters of letters, digits, "_", ".", ":" or "-" (a "|" breaks NSX tag conditions). Did you mean "${this.tagScope.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 128) || 'microseg'}"?`);
    }
    return problems;
  }
}

const NSX_ENFORCEMENT = new StackEnforcement<NsxEnforcement>('NsxEnforcement', 'Declare one per stack.');
const NSX_ENFORCEMENTS = Symbol.for('cdktf-microseg.NsxEnforcements');

/** The list of every NSX enforcement of the app that `scope` belongs to (kept on the app's root). */
function enforcementsOfApp(scope: Construct): NsxEnforcement[] {
  return appWide(scope, NSX_ENFORCEMENTS, () => []);
}

/** The highest `sequence_number` NSX accepts on a security policy (the range is 0-999,999). */
const NSX_POLICY_SEQUENCE_MAX = 999_999;
