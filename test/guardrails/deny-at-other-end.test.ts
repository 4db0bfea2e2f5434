import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { App, TerraformStack } from 'cdktf';
import { AllowFlow, AwsBinding, AwsEnforcement, DenyFlow, GcpBinding, HostBinding, HostFirewall, HostFirewallEnforcement, Peer, Port, Workload } from '../../lib';
import '../../lib/verify/jest';
import { gcpEstate, vm as gcpVm } from '../gcp/gcp-fixtures';
import { awsStack, errorOf, instance, newApp, synthApp } from '../helpers';
import { kubeEstate, podWorkload } from '../kubernetes/k8s-fixtures';

// AWS security groups cannot deny, so an allow they render against a DenyFlow fails synthesis,
// unless the other end drops the traffic itself: a platform with deny rules that enforces the
// DenyFlow there (GCP, Kubernetes with ClusterNetworkPolicy, Azure, NSX) or a host firewall.

type Other = 'gcp' | 'host' | 'pods';

/** A stack with an AWS enforcement and an instance workload Api (10.0.1.10). */
function awsApi(app: App) {
  const aws: TerraformStack = awsStack(app, 'w');
  new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-1' });
  const api = new Workload(aws, 'Api', { binding: AwsBinding.instance(instance(aws, 'api-vm', { privateIp: '10.0.1.10' })), addresses: ['10.0.1.10'] });
  return { aws, api };
}

/** An AWS instance Api (10.0.1.10) and a workload Batch on another platform. */
function awsAnd(other: Other) {
  const app = newApp();
  const { aws, api } = awsApi(app);
  let batch: Workload;
  if (other === 'gcp') {
    const g = gcpEstate(app, 'g');
    batch = new Workload(g.stack, 'Batch', { binding: GcpBinding.instance(gcpVm(g.stack, 'batch')), addresses: ['10.20.0.5'] });
  } else if (other === 'pods') {
    batch = podWorkload(kubeEstate(app, 'k', { clusterNetworkPolicy: true }), 'jobs', 'batch');
  } else {
    batch = new Workload(aws, 'Batch', { binding: HostBinding.linux(['10.30.0.5']) });
  }
  return { app, aws, api, batch };
}

describe('a DenyFlow that the other end of an AWS flow enforces', () => {
  test.each<Other>(['gcp', 'host', 'pods'])('GIVEN Batch (%s) -> Api allowed WHEN a DenyFlow forbids it THEN synthesis succeeds and Batch cannot reach Api', (other) => {
    // GIVEN
    const e = awsAnd(other);
    new AllowFlow(e.aws, 'BatchToApi', { from: e.batch, to: e.api, ports: [Port.HTTPS] });
    expect(e.app).toAllowFlow(e.batch, e.api, Port.HTTPS);
    // WHEN
    new DenyFlow(e.aws, 'NoBatch', { from: e.batch, to: e.api });
    // THEN
    expect(() => synthApp(e.app)).not.toThrow();
    expect(e.app).toDenyFlow(e.batch, e.api, Port.HTTPS);
  });

  test.each<Other>(['gcp', 'host'])('the other direction: Api -> Batch (%s) is dropped at Batch\'s ingress', (other) => {
    const e = awsAnd(other);
    new AllowFlow(e.aws, 'ApiToBatch', { from: e.api, to: e.batch, ports: [Port.HTTPS] });
    new DenyFlow(e.aws, 'NoBatch', { from: e.api, to: e.batch });
    expect(() => synthApp(e.app)).not.toThrow();
    expect(e.app).toDenyFlow(e.api, e.batch, Port.HTTPS);
  });

  test('pods cannot deny an address at ingress: Api -> pods fails, once, with the Kubernetes reason', () => {
    const e = awsAnd('pods');
    new AllowFlow(e.aws, 'ApiToBatch', { from: e.api, to: e.batch, ports: [Port.HTTPS] });
    new DenyFlow(e.aws, 'NoBatch', { from: e.api, to: e.batch });
    const error = errorOf(() => synthApp(e.app));
    expect(error).toContain("DenyFlow 'w/NoBatch' is overridden by AllowFlow 'w/ApiToBatch', which allows tcp/443 from workload 'w/Api' to workload 'k/BatchPods' at workload 'k/BatchPods': ClusterNetworkPolicy cannot deny traffic from addresses at ingress");
    expect(error).not.toContain('AWS security groups cannot deny');
  });

  test('pods of a cluster without ClusterNetworkPolicy cannot deny: Batch -> Api fails, once, with the Kubernetes reason', () => {
    const app = newApp();
    const { aws, api } = awsApi(app);
    const batch = podWorkload(kubeEstate(app, 'k', { clusterNetworkPolicy: false }), 'jobs', 'batch');
    new AllowFlow(aws, 'BatchToApi', { from: batch, to: api, ports: [Port.HTTPS] });
    new DenyFlow(aws, 'NoBatch', { from: batch, to: api });
    const error = errorOf(() => synthApp(app));
    expect(error).toContain("DenyFlow 'w/NoBatch' is overridden by AllowFlow 'w/BatchToApi', which allows tcp/443 from workload 'k/BatchPods' to workload 'w/Api' at workload 'k/BatchPods': cluster 'prod' has no ClusterNetworkPolicy");
    expect(error).not.toContain('AWS security groups cannot deny');
  });

  test('an AWS instance with a host firewall drops what its security groups let in', () => {
    const app = newApp();
    const { aws, api } = awsApi(app);
    const web = new Workload(aws, 'Web', { binding: AwsBinding.instance(instance(aws, 'web-vm', { privateIp: '10.0.1.11' })), addresses: ['10.0.1.11'] });
    new AllowFlow(aws, 'WebToApi', { from: web, to: api, ports: [Port.HTTPS] });
    new DenyFlow(aws, 'NoWeb', { from: web, to: api });
    expect(errorOf(() => synthApp(app))).toContain('AWS security groups cannot deny');
    new HostFirewall(aws, 'ApiFirewall', { workload: api });
    expect(() => synthApp(app)).not.toThrow();
    expect(app).toDenyFlow(web, api, Port.HTTPS);
  });

  test('a HostFirewallEnforcement does not make a database drop anything: it runs no host firewall', () => {
    const app = newApp();
    const { aws } = awsApi(app);
    new HostFirewallEnforcement(aws, 'Hosts');
    const db = new Workload(aws, 'Db', { binding: AwsBinding.dbInstance(new DbInstance(aws, 'db', { engine: 'postgres', instanceClass: 'db.t3.micro', allocatedStorage: 10 }), { subnetCidrs: ['10.0.5.0/24'] }) });
    const partner = new Workload(aws, 'Partner', { addresses: ['198.51.100.7'] });
    new AllowFlow(aws, 'PartnerDb', { from: partner, to: db, ports: [Port.POSTGRES] });
    new DenyFlow(aws, 'NoPartner', { from: partner, to: db });
    expect(errorOf(() => synthApp(app))).toContain("AllowFlow 'w/PartnerDb' allows tcp/5432 from workload 'w/Partner' to workload 'w/Db', which DenyFlow 'w/NoPartner'");
  });

  test('an end that enforces nothing still fails: a host known only by its addresses', () => {
    const e = awsAnd('gcp');
    const outside = new Workload(e.aws, 'Partner', { addresses: ['198.51.100.7'] });
    new AllowFlow(e.aws, 'PartnerToApi', { from: outside, to: e.api, ports: [Port.HTTPS] });
    new DenyFlow(e.aws, 'NoPartner', { from: outside, to: e.api });
    expect(errorOf(() => synthApp(e.app))).toContain("AllowFlow 'w/PartnerToApi' allows tcp/443 from workload 'w/Partner' to workload 'w/Api', which DenyFlow 'w/NoPartner'");
  });
});

describe('security-group rules that name another platform\'s workloads by a shared range', () => {
  /** Web (AWS, 10.0.4.7) and Bastion pods of cluster 'prod' (pod CIDR 10.244.0.0/16). */
  function webAndPods() {
    const app = newApp();
    const cluster = kubeEstate(app, 'k');
    const bastion = podWorkload(cluster, 'ops', 'bastion');
    const aws = awsStack(app, 'w');
    new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-1' });
    const web = new Workload(aws, 'Web', { binding: AwsBinding.instance(instance(aws, 'web-vm', { privateIp: '10.0.4.7' })), addresses: ['10.0.4.7'] });
    return { app, aws, cluster, bastion, web };
  }

  test('GIVEN Web -> Bastion pods (egress to the pod CIDR) WHEN a DenyFlow forbids Web -> a host inside that CIDR THEN synthesis fails', () => {
    const e = webAndPods();
    const legacy = new Workload(e.aws, 'Legacy', { addresses: ['10.244.9.9'] });
    new AllowFlow(e.aws, 'WebBastion', { from: e.web, to: e.bastion, ports: [Port.SSH] });
    expect(e.app).toAllowFlow(e.web, legacy, Port.SSH); // what the security group does: the whole pod CIDR
    new DenyFlow(e.aws, 'NoLegacy', { from: e.web, to: legacy, ports: [Port.SSH] });
    expect(errorOf(() => synthApp(e.app))).toContain("AllowFlow 'w/WebBastion' allows tcp/22 from workload 'w/Web' to workload 'w/Legacy', which DenyFlow 'w/NoLegacy'");
  });

  test('the same for a DenyFlow to a CIDR inside the pod CIDR, and at ingress', () => {
    const egress = webAndPods();
    new AllowFlow(egress.aws, 'WebBastion', { from: egress.web, to: egress.bastion, ports: [Port.SSH] });
    new DenyFlow(egress.aws, 'NoPod', { from: egress.web, to: Peer.ipv4('10.244.9.9/32'), ports: [Port.SSH] });
    // the error names the traffic the DenyFlow forbids: the host, not the whole pod CIDR around it
    expect(errorOf(() => synthApp(egress.app))).toContain("AllowFlow 'w/WebBastion' allows tcp/22 from workload 'w/Web' to \"10.244.9.9/32\", which DenyFlow 'w/NoPod'");
    const ingress = webAndPods();
    const legacy = new Workload(ingress.aws, 'Legacy', { addresses: ['10.244.9.9'] });
    new AllowFlow(ingress.aws, 'BastionWeb', { from: ingress.bastion, to: ingress.web, ports: [Port.SSH] });
    new DenyFlow(ingress.aws, 'NoLegacy', { from: legacy, to: ingress.web, ports: [Port.SSH] });
    expect(errorOf(() => synthApp(ingress.app))).toContain("AllowFlow 'w/BastionWeb' allows tcp/22 from workload 'w/Legacy' to workload 'w/Web'");
  });

  test('a pod of the range that denies at its own end is no breach: Web admits the pod CIDR, Db pods drop their own egress', () => {
    const e = webAndPods();
    const db = podWorkload(e.cluster, 'data', 'db');
    new AllowFlow(e.aws, 'BastionWeb', { from: e.bastion, to: e.web, ports: [Port.SSH] });
    new DenyFlow(e.aws, 'NoDb', { from: db, to: e.web, ports: [Port.SSH] });
    expect(() => synthApp(e.app)).not.toThrow();
    expect(e.app).toAllowFlow(e.bastion, e.web, Port.SSH);
    expect(e.app).toDenyFlow(db, e.web, Port.SSH);
  });
});
