import { Construct } from 'constructs';
import { DenyFlow } from '../deny-flow';
import { GuardrailAllow } from '../guardrail-allow';
import { Port } from '../port';
import { Segment } from '../segment';

/** Properties of a {@link BaselinePreset}. */
export interface BaselinePresetProps {
  /**
   * The workloads the preset governs, as a label selector (for example `{ app: 'payments' }`).
   * Every other selector of the preset is combined with it, so the preset never reaches workloads
   * of other applications.
   */
  readonly selector: { [key: string]: string };

  /** Labels (added to `selector`) of the shared-services workloads that serve DNS and NTP. */
  readonly sharedServicesSelector: { [key: string]: string };

  /** Labels (added to `selector`) of the management workloads, the only sources of admin access. */
  readonly managementSelector: { [key: string]: string };

  /**
   * The label that tells production from the other environments.
   * @default 'env'
   */
  readonly envLabel?: string;

  /**
   * The value of `envLabel` on production workloads.
   * @default 'prod'
   */
  readonly prodValue?: string;

  /**
   * The values of `envLabel` on non-production workloads; traffic between production and each of
   * them is denied both ways.
   * @default ['dev', 'test', 'staging']
   */
  readonly nonProdValues?: string[];

  /**
   * The administration ports that only the management segment may reach.
   * @default [Port.SSH, Port.RDP]
   */
  readonly adminPorts?: Port[];
}

/**
 * A baseline a platform team applies to an application's stack (or publishes as an npm package
 * of its own): guardrails the application's flows cannot override.
 *
 * - DNS (udp/53, tcp/53) and NTP (udp/123) from every governed workload to the shared services
 *   (`GuardrailAllow`, so it wins even over the prod/non-prod deny);
 * - no traffic between production and non-production, both ways (`DenyFlow`s);
 * - SSH and RDP (the `adminPorts`) only from the management workloads: a `GuardrailAllow` from
 *   management and a `DenyFlow` from anywhere else.
 */
export class BaselinePreset extends Construct {
  /** Every governed workload. */
  public readonly governed: Segment;
  /** The shared-services workloads (DNS, NTP). */
  public readonly sharedServices: Segment;
  /** The management workloads. */
  public readonly management: Segment;
  /** The production workloads. */
  public readonly production: Segment;
  /** The non-production workloads, one segment per value of the env label. */
  public readonly nonProduction: Segment[];
  /** The guardrail allows: DNS, NTP and admin access from management. */
  public readonly allows: GuardrailAllow[];
  /** The guardrail denies: prod/non-prod both ways, and admin access from anywhere else. */
  public readonly denies: DenyFlow[];

  /** Applies the baseline to the workloads that `selector` selects. */
  public constructor(scope: Construct, id: string, props: BaselinePresetProps) {
    super(scope, id);
    const base = { ...props.selector };
    const envLabel = props.envLabel ?? 'env';
    const prodValue = props.prodValue ?? 'prod';
    const nonProdValues = [...(props.nonProdValues ?? ['dev', 'test', 'staging'])];
    const adminPorts = [...(props.adminPorts ?? [Port.SSH, Port.RDP])];
    this.node.addValidation({ validate: () => this.validateProps(props, envLabel, prodValue, nonProdValues, adminPorts) });

    this.governed = new Segment(this, 'Governed', { selector: base, description: `baseline ${this.node.path}: every governed workload` });
    this.sharedServices = new Segment(this, 'SharedServices', { selector: { ...base, ...props.sharedServicesSelector }, description: `baseline ${this.node.path}: shared services` });
    this.management = new Segment(this, 'Management', { selector: { ...base, ...props.managementSelector }, description: `baseline ${this.node.path}: management` });
    this.production = new Segment(this, 'Production', { selector: { ...base, [envLabel]: prodValue }, description: `baseline ${this.node.path}: ${envLabel}=${prodValue}` });
    this.nonProduction = nonProdValues.map((value) => new Segment(this, `NonProduction-${value}`, { selector: { ...base, [envLabel]: value }, description: `baseline ${this.node.path}: ${envLabel}=${value}` }));

    this.allows = [
      new GuardrailAllow(this, 'Dns', { from: this.governed, to: this.sharedServices, ports: [Port.DNS_UDP, Port.DNS_TCP], description: 'baseline: DNS to shared services' }),
      new GuardrailAllow(this, 'Ntp', { from: this.governed, to: this.sharedServices, ports: [Port.NTP], description: 'baseline: NTP to shared services' }),
      new GuardrailAllow(this, 'AdminFromManagement', { from: this.management, to: this.governed, ports: adminPorts, description: 'baseline: admin access from management' }),
    ];
    this.denies = [
      ...this.nonProduction.flatMap((segment, i) => [
        new DenyFlow(this, `ProdTo-${nonProdValues[i]}`, { from: this.production, to: segment, description: `baseline: no traffic from ${prodValue} to ${nonProdValues[i]}` }),
        new DenyFlow(this, `${nonProdValues[i]}-ToProd`, { from: segment, to: this.production, description: `baseline: no traffic from ${nonProdValues[i]} to ${prodValue}` }),
      ]),
      new DenyFlow(this, 'AdminFromElsewhere', { to: this.governed, ports: adminPorts, description: 'baseline: admin access only from management' }),
    ];
  }

  private validateProps(props: BaselinePresetProps, envLabel: string, prodValue: string, nonProdValues: string[], adminPorts: Port[]): string[] {
    const me = `BaselinePreset '${this.node.path}'`;
    const problems: string[] = [];
    if (Object.keys(props.selector).length === 0) {
      problems.push(`${me}: selector {} selects no workload. Give the application's labels, for example selector: { app: "payments" }.`);
    }
    for (const [name, selector] of [['sharedServicesSelector', props.sharedServicesSelector], ['managementSelector', props.managementSelector]] as const) {
      if (Object.keys(selector).length === 0) problems.push(`${me}: ${name} {} would select every governed workload. Give the labels that set them apart, for example { role: "${name === 'managementSelector' ? 'management' : 'shared-services'}" }.`);
    }
    if (nonProdValues.length === 0) problems.push(`${me}: nonProdValues is empty, so nothing is kept apart from "${prodValue}". Give at least one value, for example ["dev"].`);
    if (nonProdValues.includes(prodValue)) problems.push(`${me}: nonProdValues ${JSON.stringify(nonProdValues)} contains prodValue "${prodValue}". Remove it.`);
    if (adminPorts.length === 0) problems.push(`${me}: adminPorts is empty. Omit it for [Port.SSH, Port.RDP].`);
    if (envLabel in props.selector) problems.push(`${me}: selector already fixes "${envLabel}"="${props.selector[envLabel]}", so prod and non-prod segments cannot both match. Remove "${envLabel}" from the selector.`);
    return problems;
  }
}
