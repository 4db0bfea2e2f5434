import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { NsxEnforcement, Peer, Port, Segment, Workload, VsphereBinding } from '../../lib';
import { vsphereSite } from '../vsphere-site';

/** The admin network allowed to reach every tier over SSH. */
export const ADMIN_CIDR = '198.51.100.0/24';

/**
 * The three-tier shop on vSphere, protected by the NSX distributed firewall: web, app and db VMs
 * tagged by their labels. HTTPS from anywhere to web, web to app on 8080, app to db on 5432, SSH
 * from the admin network to all three; everything else is denied, in both directions, although
 * the NSX default rule allows.
 */
export class VsphereNsxStack extends TerraformStack {
  /** The web tier. */
  public readonly web: Segment;
  /** The application tier. */
  public readonly app: Segment;
  /** The database tier. */
  public readonly db: Segment;
  /** The admin segment: every tier of the shop. */
  public readonly admin: Segment;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    const site = vsphereSite(this, 'shop-segment');

    new NsxEnforcement(this, 'Nsx', { policyName: 'shop' });

    this.web = new Segment(this, 'Web', { selector: { app: 'erp', tier: 'web' } });
    this.app = new Segment(this, 'App', { selector: { app: 'erp', tier: 'app' } });
    this.db = new Segment(this, 'Db', { selector: { app: 'erp', tier: 'db' } });
    this.admin = new Segment(this, 'Managed', { selector: { app: 'erp' } });

    this.web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    this.app.allowFrom(this.web, Port.tcp(8080));
    this.db.allowFrom(this.app, Port.POSTGRES);
    this.admin.allowFrom(Peer.ipv4(ADMIN_CIDR), Port.SSH);

    for (const tier of ['web', 'app', 'db']) {
      const vm = site.vm(`${tier}-vm`, `shop-${tier}`);
      // addresses let workloads on other platforms reach (or be reached by) these VMs
      new Workload(this, `${tier}-workload`, { binding: VsphereBinding.virtualMachine(vm), labels: { app: 'erp', tier }, addresses: [vm.defaultIpAddress] });
    }
  }
}

/** Adds the example's stack to an app. */
export function vsphereNsx(app: App): VsphereNsxStack {
  return new VsphereNsxStack(app, 'vsphere-nsx');
}
