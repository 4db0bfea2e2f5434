import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { BaselinePreset, NsxEnforcement, Port, Segment, Workload, VsphereBinding } from '../../lib';
import { vsphereSite } from '../vsphere-site';

/**
 * The payments application on vSphere, under the platform team's baseline (`BaselinePreset`):
 * DNS and NTP to the shared services, no traffic between prod and dev, SSH/RDP only from the
 * management VM. The application team then declares its own flows (web to api on 8443, the same in
 * both environments); the NSX guardrail policy (category Emergency) drops the prod/dev crossings
 * that the application's flows would otherwise allow.
 */
export class BaselinePresetStack extends TerraformStack {
  /** The preset the platform team applied. */
  public readonly baseline: BaselinePreset;
  /** The web tier, prod and dev. */
  public readonly web: Segment;
  /** The api tier, prod and dev. */
  public readonly api: Segment;
  /** Every VM of the example by name: prod-web, prod-api, dev-web, dev-api, dns, mgmt. */
  public readonly workloads: Record<string, Workload> = {};

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    const site = vsphereSite(this, 'payments-segment');

    // Guardrails go to the Emergency category (the default), application flows to Application.
    new NsxEnforcement(this, 'Nsx', { policyName: 'payments', tagScope: 'payments' });

    // What the platform team ships, e.g. `import { BaselinePreset } from '@acme/microseg-baseline'`.
    this.baseline = new BaselinePreset(this, 'Baseline', {
      selector: { app: 'payments' },
      sharedServicesSelector: { role: 'shared-services' },
      managementSelector: { role: 'management' },
      nonProdValues: ['dev'],
    });

    // What the application team declares.
    this.web = new Segment(this, 'Web', { selector: { app: 'payments', tier: 'web' } });
    this.api = new Segment(this, 'Api', { selector: { app: 'payments', tier: 'api' } });
    this.api.allowFrom(this.web, Port.tcp(8443));

    const vms: Array<[string, Record<string, string>]> = [
      ['prod-web', { env: 'prod', tier: 'web' }],
      ['prod-api', { env: 'prod', tier: 'api' }],
      ['dev-web', { env: 'dev', tier: 'web' }],
      ['dev-api', { env: 'dev', tier: 'api' }],
      ['dns', { env: 'prod', role: 'shared-services' }],
      ['mgmt', { env: 'prod', role: 'management' }],
    ];
    for (const [name, labels] of vms) {
      const vm = site.vm(`${name}-vm`, `payments-${name}`);
      this.workloads[name] = new Workload(this, `${name}-workload`, { binding: VsphereBinding.virtualMachine(vm), labels: { app: 'payments', ...labels } });
    }
  }
}

/** Adds the example's stack to an app. */
export function baselinePreset(app: App): BaselinePresetStack {
  return new BaselinePresetStack(app, 'baseline-preset');
}
