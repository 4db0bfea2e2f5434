import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsBinding, AwsEnforcement, DenyFlow, KubernetesBinding, KubernetesEnforcement, Peer, Port, Segment, Workload } from '../../lib';

/** The partner network that calls the shop's API directly. */
export const PARTNER_CIDR = '203.0.113.0/24';

/** The cluster's pod network: the database's security group knows the pods by it. */
export const POD_CIDR = '10.244.0.0/16';

/** The database instance's address. */
export const DB_ADDRESS = '10.20.3.10';

/**
 * A shop on Kubernetes next to an AWS database: web pods in namespace `storefront`, api and worker
 * pods in `backend`, a PostgreSQL instance on EC2. The internet reaches web on 8080, web calls api
 * on 9000, the partner network calls api on 9443, api hands jobs to worker on 7000 and queries the
 * database on 5432 (the pods' egress rule names the instance's address, the database's security
 * group names the pod network). A guardrail forbids web to reach the database at all. Everything
 * else is denied in both directions, on both platforms.
 */
export class K8sShopStack extends TerraformStack {
  /** The web pods. */
  public readonly web: Segment;
  /** The api pods. */
  public readonly api: Segment;
  /** The worker pods. */
  public readonly worker: Segment;
  /** The database instance. */
  public readonly db: Segment;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    new KubernetesProvider(this, 'kubernetes', { configPath: '~/.kube/config', configContext: 'shop' });

    const vpc = new Vpc(this, 'Vpc', { cidrBlock: '10.20.0.0/16', tags: { Name: 'k8s-shop' } });
    new AwsEnforcement(this, 'Aws', { vpcId: vpc.id });
    new KubernetesEnforcement(this, 'Cluster', { clusterName: 'shop', podCidrs: [POD_CIDR] });

    this.web = new Segment(this, 'Web', { selector: { app: 'k8s-shop', tier: 'web' } });
    this.api = new Segment(this, 'Api', { selector: { app: 'k8s-shop', tier: 'api' } });
    this.worker = new Segment(this, 'Worker', { selector: { app: 'k8s-shop', tier: 'worker' } });
    this.db = new Segment(this, 'Db', { selector: { app: 'k8s-shop', tier: 'db' } });

    this.web.allowFrom(Peer.anyIpv4(), Port.tcp(8080));
    this.api.allowFrom(this.web, Port.tcp(9000));
    this.api.allowFrom(Peer.ipv4(PARTNER_CIDR), Port.tcp(9443));
    this.worker.allowFrom(this.api, Port.tcp(7000));
    this.db.allowFrom(this.api, Port.POSTGRES);
    new DenyFlow(this, 'WebNeverReachesDb', { from: this.web, to: this.db, description: 'the storefront never talks to the database' });

    for (const namespace of ['storefront', 'backend']) {
      new NamespaceV1(this, `ns-${namespace}`, { metadata: { name: namespace, labels: { team: 'shop' } } });
    }
    const tiers: Array<[string, string]> = [['web', 'storefront'], ['api', 'backend'], ['worker', 'backend']];
    for (const [tier, namespace] of tiers) {
      const deployment = new DeploymentV1(this, `${tier}-deployment`, {
        metadata: { name: tier, namespace },
        spec: {
          replicas: '2',
          selector: { matchLabels: { 'app.kubernetes.io/name': tier } },
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': tier, 'app.kubernetes.io/part-of': 'shop' } },
            spec: { container: [{ name: tier, image: `registry.example.com/shop/${tier}:1.0` }] },
          },
        },
      });
      new Workload(this, `${tier}-pods`, { binding: KubernetesBinding.deployment(deployment), labels: { app: 'k8s-shop', tier } });
    }

    const subnet = new Subnet(this, 'db-subnet', { vpcId: vpc.id, cidrBlock: '10.20.3.0/24', tags: { Name: 'k8s-shop-db' } });
    const db = new Instance(this, 'db-vm', {
      ami: 'ami-0abcdef1234567890',
      instanceType: 't3.medium',
      subnetId: subnet.id,
      privateIp: DB_ADDRESS,
      tags: { Name: 'k8s-shop-db' },
    });
    new Workload(this, 'db-workload', { binding: AwsBinding.instance(db), labels: { app: 'k8s-shop', tier: 'db' }, addresses: [DB_ADDRESS] });
  }
}

/** Adds the example's stack to an app. */
export function k8sShop(app: App): K8sShopStack {
  return new K8sShopStack(app, 'k8s-shop');
}
