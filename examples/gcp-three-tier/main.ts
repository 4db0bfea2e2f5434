import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { ComputeInstance } from '@cdktf/provider-google/lib/compute-instance';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsBinding, AwsEnforcement, DenyFlow, GcpBinding, GcpEnforcement, Peer, Port, Segment, Workload } from '../../lib';

/** The partner network that may call the web tier's API. */
export const PARTNER_CIDR = '203.0.113.0/24';

/** The internal addresses of the three VMs. */
export const GCP_TIER_ADDRESSES: { [tier: string]: string } = { web: '10.20.1.10', app: '10.20.2.10', db: '10.20.3.10' };

/** The address of the AWS search instance the app tier calls. */
export const SEARCH_ADDRESS = '10.30.1.50';

/**
 * A three-tier shop on Google Cloud: web, app and db VM instances on one VPC network, each tier in
 * its own subnet. HTTPS from the internet and the API port from a partner network to web, web to
 * app on 8080, app to db on 5432; a DenyFlow guardrail keeps the web tier away from the database
 * whatever an application flow says. Everything else is denied in both directions by the network firewall policy, which
 * the network runs before its classic VPC firewall rules.
 */
export class GcpThreeTierStack extends TerraformStack {
  /** The web tier. */
  public readonly web: Segment;
  /** The application tier. */
  public readonly app: Segment;
  /** The database tier. */
  public readonly db: Segment;
  /** The VM instances by tier. */
  public readonly instances: { [tier: string]: ComputeInstance } = {};

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new GoogleProvider(this, 'google', { project: 'shop-prod', region: 'europe-west1' });
    const network = new ComputeNetwork(this, 'Vpc', { name: 'shop-vpc', autoCreateSubnetworks: false });
    new GcpEnforcement(this, 'Gcp', { project: 'shop-prod', network });

    this.web = new Segment(this, 'Web', { selector: { app: 'gstore', tier: 'web' } });
    this.app = new Segment(this, 'App', { selector: { app: 'gstore', tier: 'app' } });
    this.db = new Segment(this, 'Db', { selector: { app: 'gstore', tier: 'db' } });

    this.web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    this.web.allowFrom(Peer.ipv4(PARTNER_CIDR), Port.tcp(8443));
    this.app.allowFrom(this.web, Port.tcp(8080));
    this.db.allowFrom(this.app, Port.POSTGRES);
    new DenyFlow(this, 'WebNeverReachesDb', {
      from: this.web,
      to: this.db,
      ports: [Port.allTraffic()],
      description: 'The web tier never talks to the database directly',
    });

    const cidrs: { [tier: string]: string } = { web: '10.20.1.0/24', app: '10.20.2.0/24', db: '10.20.3.0/24' };
    for (const tier of ['web', 'app', 'db']) {
      const subnet = new ComputeSubnetwork(this, `${tier}-subnet`, { name: `shop-${tier}`, network: network.id, ipCidrRange: cidrs[tier], region: 'europe-west1' });
      const instance = new ComputeInstance(this, `${tier}-vm`, {
        name: `shop-${tier}`,
        machineType: 'e2-small',
        zone: 'europe-west1-b',
        bootDisk: { initializeParams: { image: 'debian-cloud/debian-12' } },
        networkInterface: [{ subnetwork: subnet.id, networkIp: GCP_TIER_ADDRESSES[tier] }],
      });
      this.instances[tier] = instance;
      new Workload(this, `${tier}-workload`, { binding: GcpBinding.instance(instance), labels: { app: 'gstore', tier } });
    }
  }
}

/**
 * The AWS side of the cross-cloud flow: a search service in its own VPC that the Google Cloud app
 * tier calls on 9200. The flow is declared once; the GCP stack renders its egress rule (the search
 * instance by address) and this stack the security group rule (the app VM by address).
 */
export class GcpSearchOnAwsStack extends TerraformStack {
  /** The search segment. */
  public readonly search: Segment;

  public constructor(scope: Construct, id: string, gcp: GcpThreeTierStack) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    const vpc = new Vpc(this, 'Vpc', { cidrBlock: '10.30.0.0/16' });
    new AwsEnforcement(this, 'Aws', { vpcId: vpc.id });
    const subnet = new Subnet(this, 'search-subnet', { vpcId: vpc.id, cidrBlock: '10.30.1.0/24' });
    const instance = new Instance(this, 'search-vm', { ami: 'ami-0abcdef1234567890', instanceType: 't3.small', subnetId: subnet.id, privateIp: SEARCH_ADDRESS });
    this.search = new Segment(this, 'Search', { selector: { app: 'gstore', tier: 'search' } });
    new Workload(this, 'search-workload', { binding: AwsBinding.instance(instance), labels: { app: 'gstore', tier: 'search' }, addresses: [SEARCH_ADDRESS] });
    this.search.allowFrom(gcp.app, Port.tcp(9200));
  }
}

/** Adds the Google Cloud three-tier example and its AWS search service to `app`. */
export function gcpThreeTier(app: App): { gcp: GcpThreeTierStack; aws: GcpSearchOnAwsStack } {
  const gcp = new GcpThreeTierStack(app, 'gcp-three-tier');
  const aws = new GcpSearchOnAwsStack(app, 'gcp-three-tier-search', gcp);
  return { gcp, aws };
}
