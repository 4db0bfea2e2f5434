import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsBinding, AwsEnforcement, DenyFlow, Peer, Port, Segment, Workload } from '../../lib';
import { HostBinding, HostFirewall, HostFirewallFlavor } from '../../lib/host';

/** The partner network that reaches the web servers over HTTPS. */
export const PARTNER_CIDR = '192.0.2.0/24';

/** The subnet of the reporting VPC's interface endpoints for Systems Manager (ssm, ssmmessages, ec2messages). */
export const SSM_ENDPOINTS_CIDR = '10.30.9.0/24';

/**
 * A conventional estate: two Linux web servers (nftables), an older Linux database server
 * (iptables) and a Windows file server, known only by their addresses, each enforcing its own
 * flows with its host firewall (rule sets written to `cdktf.out/stacks/host-estate/host-firewall/`).
 * A reporting instance on AWS has both layers: its security group and its host firewall, delivered
 * by Systems Manager.
 */
export class HostEstateStack extends TerraformStack {
  /** The web servers. */
  public readonly web: Segment;
  /** The database server. */
  public readonly db: Segment;
  /** The file server. */
  public readonly files: Segment;
  /** The reporting instance on AWS. */
  public readonly reports: Segment;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    const vpc = new Vpc(this, 'Vpc', { cidrBlock: '10.30.0.0/16', tags: { Name: 'reports' } });
    const subnet = new Subnet(this, 'ReportsSubnet', { vpcId: vpc.id, cidrBlock: '10.30.1.0/24' });
    new AwsEnforcement(this, 'Aws', { vpcId: vpc.id });

    this.web = new Segment(this, 'Web', { selector: { estate: 'dc1', tier: 'web' } });
    this.db = new Segment(this, 'Db', { selector: { estate: 'dc1', tier: 'db' } });
    this.files = new Segment(this, 'Files', { selector: { estate: 'dc1', tier: 'files' } });
    this.reports = new Segment(this, 'Reports', { selector: { estate: 'dc1', tier: 'reports' } });

    new Workload(this, 'Web1', { binding: HostBinding.linux(['10.20.0.11']), labels: { estate: 'dc1', tier: 'web' } });
    new Workload(this, 'Web2', { binding: HostBinding.linux(['10.20.0.12']), labels: { estate: 'dc1', tier: 'web' } });
    new Workload(this, 'Db1', { binding: HostBinding.linux(['10.20.0.21'], { flavor: HostFirewallFlavor.IPTABLES }), labels: { estate: 'dc1', tier: 'db' } });
    new Workload(this, 'Files1', { binding: HostBinding.windows(['10.20.0.31']), labels: { estate: 'dc1', tier: 'files' } });
    const reportsIp = '10.30.1.10';
    const reportsVm = new Instance(this, 'reports', { ami: 'ami-0abcdef1234567890', instanceType: 't3.small', subnetId: subnet.id, privateIp: reportsIp });
    // the literal address keeps the database's rule set file complete; `reportsVm.privateIp` works
    // too (the file then holds the Terraform expression, the rule set output the resolved address)
    const reports = new Workload(this, 'Reports1', {
      binding: AwsBinding.instance(reportsVm), addresses: [reportsIp], labels: { estate: 'dc1', tier: 'reports' },
    });
    // the second layer of the AWS instance: its own nftables, delivered by an SSM association
    new HostFirewall(this, 'Reports1Host', { workload: reports });
    // ... whose agent must still reach Systems Manager (here through the VPC's interface endpoints)
    // and the instance metadata service, or the first rule set would cut off every later one
    reports.allowTo(Peer.ipv4(SSM_ENDPOINTS_CIDR), Port.HTTPS);
    reports.allowTo(Peer.ipv4('169.254.169.254/32'), Port.HTTP);

    this.web.allowFrom(Peer.ipv4(PARTNER_CIDR), Port.HTTPS);
    this.db.allowFrom(this.web, Port.POSTGRES);
    this.db.allowFrom(this.reports, Port.POSTGRES);
    this.files.allowFrom(this.web, Port.tcp(445));
    new DenyFlow(this, 'NoSshIntoDb', { from: this.web, to: this.db, ports: [Port.SSH], description: 'web servers never open a shell on the database' });
  }
}

/** Adds the host-estate example to an app. */
export function hostEstate(app: App): HostEstateStack {
  return new HostEstateStack(app, 'host-estate');
}
