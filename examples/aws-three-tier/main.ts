import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsEnforcement, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';

/** The admin network allowed to reach every tier over SSH. */
export const ADMIN_CIDR = '198.51.100.0/24';

/**
 * A three-tier shop on AWS: web, app and db instances in one VPC. HTTPS from the internet to web,
 * web to app on 8080, app to db on 5432, SSH from the admin network to all three; everything else
 * is denied, in both directions.
 */
export class AwsThreeTierStack extends TerraformStack {
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
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    const vpc = new Vpc(this, 'Vpc', { cidrBlock: '10.0.0.0/16', tags: { Name: 'shop' } });
    // networkAcls: each tier's subnet also gets a network ACL rendered from the same flows
    const enforcement = new AwsEnforcement(this, 'Aws', { vpcId: vpc.id, networkAcls: true });

    this.web = new Segment(this, 'Web', { selector: { app: 'shop', tier: 'web' } });
    this.app = new Segment(this, 'App', { selector: { app: 'shop', tier: 'app' } });
    this.db = new Segment(this, 'Db', { selector: { app: 'shop', tier: 'db' } });
    this.admin = new Segment(this, 'Managed', { selector: { app: 'shop' } });

    this.web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    this.app.allowFrom(this.web, Port.tcp(8080));
    this.db.allowFrom(this.app, Port.POSTGRES);
    this.admin.allowFrom(Peer.ipv4(ADMIN_CIDR), Port.SSH);

    const tiers: Array<[string, string]> = [['web', '10.0.1.0/24'], ['app', '10.0.2.0/24'], ['db', '10.0.3.0/24']];
    for (const [tier, cidr] of tiers) {
      const subnet = new Subnet(this, `${tier}-subnet`, { vpcId: vpc.id, cidrBlock: cidr, tags: { Name: `shop-${tier}` } });
      enforcement.addSubnet({ segment: { web: this.web, app: this.app, db: this.db }[tier]!, subnetId: subnet.id, cidr });
      const instance = new Instance(this, `${tier}-vm`, {
        ami: 'ami-0abcdef1234567890',
        instanceType: 't3.micro',
        subnetId: subnet.id,
        tags: { Name: `shop-${tier}` },
      });
      new Workload(this, `${tier}-workload`, { binding: AwsBinding.instance(instance), labels: { app: 'shop', tier } });
    }
  }
}

/** Adds the example's stack to an app. */
export function awsThreeTier(app: App): AwsThreeTierStack {
  return new AwsThreeTierStack(app, 'aws-three-tier');
}
