import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { PolicyRegistry } from '../registry';

/** Properties of {@link AwsEnforcement}. */
export interface AwsEnforcementProps {
  /** The VPC whose security groups enforce the policy (`vpc.id`). */
  readonly vpcId: string;

  /**
   * Rules allowed per security group per direction (AWS default quota: 60; it can be raised).
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
}

/**
 * Enforces the policy of AWS workloads in this stack with security groups in one VPC: one group
 * per segment with AWS members, default-deny both ways.
 */
export class AwsEnforcement extends Construct {
  /** The AWS enforcement of the stack that `scope` belongs to, if any. */
  public static of(scope: Construct): AwsEnforcement | undefined {
    const stack = TerraformStack.of(scope);
    return (stack as any)[AWS_ENFORCEMENT];
  }

  /** The VPC id. */
  public readonly vpcId: string;
  /** Rules allowed per group per direction. */
  public readonly maxRulesPerGroup: number;
  /** Groups allowed per network interface. */
  public readonly maxGroupsPerInterface: number;
  /** Tags added to every group. */
  public readonly tags: { [key: string]: string };

  /** Declares the AWS enforcement of a stack (at most one per stack). */
  public constructor(scope: Construct, id: string, props: AwsEnforcementProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    const existing: AwsEnforcement | undefined = (stack as any)[AWS_ENFORCEMENT];
    if (existing) {
      throw new Error(`AwsEnforcement '${this.node.path}': stack '${stack.node.path}' already has AwsEnforcement '${existing.node.path}'. Declare one per stack (one VPC per stack).`);
    }
    Object.defineProperty(stack, AWS_ENFORCEMENT, { value: this });
    this.vpcId = props.vpcId;
    this.maxRulesPerGroup = props.maxRulesPerGroup ?? 60;
    this.maxGroupsPerInterface = props.maxGroupsPerInterface ?? 5;
    this.tags = { ...(props.tags ?? {}) };
    this.node.addValidation({ validate: () => this.validateProps() });
    PolicyRegistry.of(this).addEnforcement(stack);
  }

  private validateProps(): string[] {
    const problems: string[] = [];
    if (!(this.maxRulesPerGroup >= 1 && this.maxRulesPerGroup <= 1000)) {
      problems.push(`AwsEnforcement '${this.node.path}': maxRulesPerGroup ${this.maxRulesPerGroup} is outside 1-1000.`);
    }
    if (!(this.maxGroupsPerInterface >= 1 && this.maxGroupsPerInterface <= 16)) {
      problems.push(`AwsEnforcement '${this.node.path}': maxGroupsPerInterface ${this.maxGroupsPerInterface} is outside 1-16 (the AWS hard limit is 16).`);
    }
    return problems;
  }
}

const AWS_ENFORCEMENT = Symbol.for('cdktf-microseg.AwsEnforcement');
