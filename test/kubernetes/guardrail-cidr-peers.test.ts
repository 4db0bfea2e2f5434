import '../../lib/verify/jest';
import { App, TerraformStack } from 'cdktf';
import { AllowFlow, DenyFlow, GuardrailAllow, KubernetesBinding, Peer, Port, Workload } from '../../lib';
import { SynthesizedStack, newApp, synthApp } from '../helpers';
import { kubeEstate, podWorkload } from './k8s-fixtures';

/** A cluster (pod CIDR 10.244.0.0/16) with web and db pods in namespace shop and a flow web -> db on tcp/5432 and tcp/6000. */
function shop(props: Parameters<typeof kubeEstate>[2] = {}): { app: App; stack: TerraformStack; web: Workload; db: Workload } {
  const app = newApp();
  const stack = kubeEstate(app, 'k8s', props);
  const web = podWorkload(stack, 'shop', 'web');
  const db = podWorkload(stack, 'shop', 'db');
  new AllowFlow(stack, 'WebToDb', { from: web, to: db, ports: [Port.tcp(5432), Port.tcp(6000)] });
  return { app, stack, web, db };
}

/** The ClusterNetworkPolicy manifests of a synthesized stack whose name starts with `prefix`. */
function clusterPolicies(stack: SynthesizedStack, prefix: string): any[] {
  return Object.values<any>(stack.json.resource?.kubernetes_manifest ?? {}).map((m) => m.manifest).filter((m) => m.metadata.name.startsWith(prefix));
}

const POSTGRES_ONLY = [{ tcp: { destinationPort: { number: 5432 } } }];

describe('a DenyFlow from a CIDR into pods, with ClusterNetworkPolicy', () => {
  test('GIVEN a DenyFlow from Peer.anyIpv4() to db on tcp/5432 WHEN web has a flow to db THEN the Admin Deny names every pod at ingress and web cannot reach db on 5432', () => {
    // GIVEN
    const { app, stack, web, db } = shop();
    new DenyFlow(stack, 'NoIpv4IntoDb', { from: Peer.anyIpv4(), to: db, ports: [Port.tcp(5432)] });
    // WHEN
    const out = synthApp(app);
    // THEN 0.0.0.0/0 holds the web pods: the DenyFlow wins over the AllowFlow on 5432, not on 6000
    const [deny] = clusterPolicies(out.k8s, 'microseg-prod-deny');
    expect(deny.spec.priority).toBe(110);
    expect(deny.spec.ingress).toEqual([expect.objectContaining({ action: 'Deny', from: [{ namespaces: {} }], protocols: POSTGRES_ONLY })]);
    expect(stack).toDenyFlow(web, db, Port.tcp(5432));
    expect(stack).toAllowFlow(web, db, Port.tcp(6000));
  });

  test('GIVEN a DenyFlow from a CIDR holding the cluster\'s pod CIDRs THEN its Admin Deny names every pod too', () => {
    // GIVEN
    const { app, stack, web, db } = shop();
    new DenyFlow(stack, 'NoPrivateIntoDb', { from: Peer.ipv4('10.0.0.0/8'), to: db, ports: [Port.tcp(5432)] });
    // WHEN
    const out = synthApp(app);
    // THEN
    const [deny] = clusterPolicies(out.k8s, 'microseg-prod-deny');
    expect(deny.spec.ingress).toEqual([expect.objectContaining({ action: 'Deny', from: [{ namespaces: {} }], protocols: POSTGRES_ONLY })]);
    expect(stack).toDenyFlow(web, db, Port.tcp(5432));
  });

  test('GIVEN a DenyFlow from a CIDR outside the pod CIDRs THEN no pod is denied and the declared flow stays allowed', () => {
    // GIVEN
    const { app, stack, web, db } = shop();
    new DenyFlow(stack, 'NoLabIntoDb', { from: Peer.ipv4('192.0.2.0/24'), to: db, ports: [Port.tcp(5432)] });
    // WHEN
    const out = synthApp(app);
    // THEN
    expect(clusterPolicies(out.k8s, 'microseg-prod-deny').map((m) => m.spec.ingress)).toEqual([undefined]);
    expect(stack).toAllowFlow(web, db, Port.tcp(5432));
    expect(stack).toDenyFlow(Peer.ipv4('192.0.2.7'), db, Port.tcp(5432));
  });

  test('GIVEN a DenyFlow from a CIDR outside the pod CIDRs WHEN it holds the nodeCidrs the pods are known by THEN its Admin Deny names those workloads\' pods', () => {
    // GIVEN pods known to the model by the node CIDRs too (their traffic leaving the cluster)
    const { app, stack, web, db } = shop({ nodeCidrs: ['192.168.0.0/24'] });
    new DenyFlow(stack, 'NoNodesIntoDb', { from: Peer.ipv4('192.168.0.0/16'), to: db, ports: [Port.tcp(5432)] });
    // WHEN
    const out = synthApp(app);
    // THEN the CIDR holds the workloads as the shared model says (as without ClusterNetworkPolicy, where the flow would be refused)
    const [deny] = clusterPolicies(out.k8s, 'microseg-prod-deny');
    const podsOf = (name: string) => ({ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: name } } } });
    expect(deny.spec.ingress).toEqual([expect.objectContaining({ action: 'Deny', from: expect.arrayContaining([podsOf('web'), podsOf('db')]) })]);
    expect(stack).toDenyFlow(web, db, Port.tcp(5432));
    expect(stack).toAllowFlow(web, db, Port.tcp(6000));
  });

  test('GIVEN a DenyFlow from a CIDR holding only part of the pod CIDRs THEN synthesis fails naming the DenyFlow, the CIDR and the fix', () => {
    // GIVEN
    const { app, stack, db } = shop();
    new DenyFlow(stack, 'NoNodeRangeIntoDb', { from: Peer.ipv4('10.244.8.0/24'), to: db, ports: [Port.tcp(5432)] });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/DenyFlow 'k8s\/NoNodeRangeIntoDb' names "10\.244\.8\.0\/24", which holds only part of the pods of cluster 'prod' \(podCidrs "10\.244\.0\.0\/16"\).*ClusterNetworkPolicy names pods at ingress by namespace and labels, not by address.*Name the pods' workloads or segments instead/s);
  });

  test('GIVEN a DenyFlow from Peer.anyIpv4() WHEN an AllowFlow from an outside CIDR overrides it THEN synthesis still fails as before (ingress from addresses is NetworkPolicy\'s)', () => {
    // GIVEN
    const { app, stack, db } = shop();
    new AllowFlow(stack, 'PartnerToDb', { from: Peer.ipv4('203.0.113.0/24'), to: db, ports: [Port.tcp(5432)] });
    new DenyFlow(stack, 'NoIpv4IntoDb', { from: Peer.anyIpv4(), to: db, ports: [Port.tcp(5432)] });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/DenyFlow 'k8s\/NoIpv4IntoDb' is overridden by AllowFlow 'k8s\/PartnerToDb', which allows tcp\/5432 from "203\.0\.113\.0\/24"/);
    // once, naming the flow's own range: not again as allowing from the DenyFlow's 0.0.0.0/0
    const error = String((() => { try { app.synth(); } catch (e) { return e; } return ''; })());
    expect(error.match(/is overridden by AllowFlow/g)).toHaveLength(1);
    expect(error).not.toContain('from "0.0.0.0/0"');
  });
});

describe('a GuardrailAllow of a narrower range than the flow that a DenyFlow overrides', () => {
  test('GIVEN SSH into db denied from anywhere and granted from 10.0.0.0/8 WHEN an AllowFlow admits it from anywhere THEN synthesis fails for the addresses outside the grant', () => {
    // GIVEN
    const { app, stack, db } = shop();
    new AllowFlow(stack, 'SshFromAnywhere', { from: Peer.anyIpv4(), to: db, ports: [Port.SSH] });
    new DenyFlow(stack, 'NoSsh', { from: Peer.anyIpv4(), to: db, ports: [Port.SSH] });
    new GuardrailAllow(stack, 'CorpSsh', { from: Peer.ipv4('10.0.0.0/8'), to: db, ports: [Port.SSH] });
    // WHEN / THEN the ipBlock 0.0.0.0/0 would admit 192.0.2.9, which only the DenyFlow covers
    expect(() => app.synth()).toThrow(/DenyFlow 'k8s\/NoSsh' is overridden by AllowFlow 'k8s\/SshFromAnywhere', which allows tcp\/22 from "0\.0\.0\.0\/0" outside "10\.0\.0\.0\/8" to workload 'k8s\/DbPods'/);
  });

  test('GIVEN flows of ranges that touch the DenyFlow\'s range only in part WHEN none of them admits its traffic THEN it synthesizes', () => {
    // GIVEN a partner range allowed everything, DNS from anywhere, tcp/20-30 denied from 10.0.0.0/16
    const { stack, db } = shop();
    new AllowFlow(stack, 'Partner', { from: Peer.ipv4('192.0.2.0/24'), to: db, ports: [Port.allTraffic()] });
    new AllowFlow(stack, 'Dns', { from: Peer.anyIpv4(), to: db, ports: [Port.DNS_UDP] });
    new DenyFlow(stack, 'NoFtp', { from: Peer.ipv4('10.0.0.0/16'), to: db, ports: [Port.tcpRange(20, 30)] });
    // THEN
    expect(stack).toDenyFlow(Peer.ipv4('10.0.5.0/24'), db, Port.tcpRange(20, 30));
    expect(stack).toAllowFlow(Peer.ipv4('192.0.2.0/24'), db, Port.tcpRange(20, 30));
  });
});

describe('a GuardrailAllow from a CIDR into pods, with ClusterNetworkPolicy', () => {
  test('GIVEN a DenyFlow into db and a GuardrailAllow from Peer.anyIpv4() to db on tcp/5432 THEN the Admin Accept names every pod and web reaches db on 5432 only', () => {
    // GIVEN
    const { app, stack, web, db } = shop();
    new DenyFlow(stack, 'NothingIntoDb', { to: db });
    new GuardrailAllow(stack, 'AnyoneMayQueryDb', { from: Peer.anyIpv4(), to: db, ports: [Port.tcp(5432)] });
    // WHEN
    const out = synthApp(app);
    // THEN 0.0.0.0/0 holds the web pods: the grant wins over the DenyFlow at db on 5432; 6000 stays denied
    const [accept] = clusterPolicies(out.k8s, 'microseg-prod-accept');
    expect(accept.spec.priority).toBe(100);
    expect(accept.spec.ingress).toEqual([expect.objectContaining({ action: 'Accept', from: [{ namespaces: {} }], protocols: POSTGRES_ONLY })]);
    expect(stack).toAllowFlow(web, db, Port.tcp(5432));
    expect(stack).toDenyFlow(web, db, Port.tcp(6000));
    expect(stack).toAllowFlow(Peer.ipv4('203.0.113.5'), db, Port.tcp(5432));
  });

  test('GIVEN a GuardrailAllow from a CIDR holding only part of the pod CIDRs THEN synthesis fails naming the GuardrailAllow, the CIDR and the fix', () => {
    // GIVEN
    const { app, stack, db } = shop();
    new DenyFlow(stack, 'NothingIntoDb', { to: db });
    new GuardrailAllow(stack, 'RangeMayQueryDb', { from: Peer.ipv4('10.244.8.0/24'), to: db, ports: [Port.tcp(5432)] });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/AllowFlow 'k8s\/RangeMayQueryDb[^']*' names "10\.244\.8\.0\/24", which holds only part of the pods of cluster 'prod'.*cannot grant/s);
  });
});

describe('a DenyFlow and the DNS resolver\'s own policy (a managed DNS namespace)', () => {
  /** A cluster whose CoreDNS pods are a workload (so kube-system gets microseg-dns-resolver), a partner network and a legacy host. */
  function withResolver(clusterNetworkPolicy: boolean) {
    const app = newApp();
    const stack = kubeEstate(app, 'k8s', { clusterNetworkPolicy });
    const coreDns = new Workload(stack, 'CoreDns', { binding: KubernetesBinding.pods('kube-system', { 'k8s-app': 'kube-dns' }) });
    const legacy = new Workload(stack, 'Legacy', { addresses: ['10.50.2.7'] });
    return { app, stack, coreDns, legacy };
  }

  test.each([true, false])('GIVEN a DenyFlow of DNS from a partner network into the resolver (ClusterNetworkPolicy: %s) THEN synthesis fails: the resolver takes queries from any address', (cnp) => {
    const { app, stack, coreDns } = withResolver(cnp);
    new DenyFlow(stack, 'NoPartnerToDns', { from: Peer.ipv4('10.9.0.0/16'), to: coreDns });
    expect(() => app.synth()).toThrow(/DenyFlow 'k8s\/NoPartnerToDns' is overridden by NetworkPolicy "microseg-dns-resolver" of KubernetesEnforcement 'k8s\/Cluster' \(allowDns\), which lets the DNS resolver \(pods \{k8s-app=kube-dns\} in namespace "kube-system"\) take udp\/53, tcp\/53 from any address/);
  });

  test('GIVEN no ClusterNetworkPolicy WHEN a DenyFlow from anywhere forbids a host known only by its address THEN synthesis fails: the resolver may reach every address', () => {
    const { app, stack, legacy } = withResolver(false);
    new DenyFlow(stack, 'NobodyToLegacy', { to: legacy, ports: [Port.SSH] });
    expect(() => app.synth()).toThrow(/DenyFlow 'k8s\/NobodyToLegacy' is overridden by NetworkPolicy "microseg-dns-resolver" .* reach every address: cluster 'prod' has no ClusterNetworkPolicy/s);
  });

  test('GIVEN ClusterNetworkPolicy WHEN the same DenyFlow forbids the host THEN it synthesizes and the resolver cannot reach it', () => {
    const { app, stack, coreDns, legacy } = withResolver(true);
    new DenyFlow(stack, 'NobodyToLegacy', { to: legacy, ports: [Port.SSH] });
    synthApp(app);
    expect(stack).toDenyFlow(coreDns, legacy, Port.SSH);
  });
});

describe('a DenyFlow and the DNS allowance', () => {
  /** Batch pods in namespace jobs that a DenyFlow takes offline (to anywhere, every protocol). */
  function offline(props: Parameters<typeof kubeEstate>[2] = {}, ports?: Port[]): { app: App; stack: TerraformStack; batch: Workload } {
    const app = newApp();
    const stack = kubeEstate(app, 'k8s', props);
    const batch = podWorkload(stack, 'jobs', 'batch');
    new DenyFlow(stack, 'BatchIsOffline', { from: batch, ...(ports ? { ports } : {}) });
    return { app, stack, batch };
  }

  test('GIVEN a DenyFlow from pods to anywhere WHEN the cluster has no ClusterNetworkPolicy and allowDns is on THEN synthesis fails naming the DenyFlow, the DNS allowance and the fix', () => {
    // GIVEN microseg-allow-dns would let the batch pods reach kube-dns on 53, which NetworkPolicy cannot deny
    const { app } = offline({ clusterNetworkPolicy: false });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/DenyFlow 'k8s\/BatchIsOffline' is overridden by the DNS allowance of KubernetesEnforcement 'k8s\/Cluster' \(allowDns\): NetworkPolicy "microseg-allow-dns" in namespace "jobs" lets the pods of workload 'k8s\/BatchPods' reach the DNS resolver .* on udp\/53, tcp\/53.*Set allowDns: false/s);
  });

  test('GIVEN the same DenyFlow WHEN the cluster has ClusterNetworkPolicy THEN its Admin Deny takes every pod and address, DNS included', () => {
    // GIVEN
    const { app } = offline();
    // WHEN
    const out = synthApp(app);
    // THEN
    const [deny] = clusterPolicies(out.k8s, 'microseg-prod-deny');
    // (networks 0.0.0.0/0 matches pod-to-pod traffic too: kube-dns among it)
    expect(deny.spec.egress).toEqual([expect.objectContaining({ action: 'Deny', to: [{ networks: ['0.0.0.0/0', '::/0'] }] })]);
    expect(deny.spec.egress[0].protocols).toBeUndefined();
  });

  test('GIVEN no ClusterNetworkPolicy WHEN allowDns is off, the DenyFlow leaves 53 out, or a GuardrailAllow grants DNS THEN it synthesizes', () => {
    // GIVEN / WHEN / THEN
    expect(() => offline({ clusterNetworkPolicy: false, allowDns: false }).app.synth()).not.toThrow();
    expect(() => offline({ clusterNetworkPolicy: false }, [Port.tcp(443)]).app.synth()).not.toThrow();
    const granted = offline({ clusterNetworkPolicy: false });
    new GuardrailAllow(granted.stack, 'BatchMayResolve', { from: granted.batch, to: Peer.anyIpv4(), ports: [Port.udp(53), Port.tcp(53)] });
    expect(() => granted.app.synth()).not.toThrow();
  });

  test('GIVEN no ClusterNetworkPolicy WHEN the DenyFlow names the DNS pods, or a CIDR holding the pod CIDRs, on udp/53 THEN synthesis fails too', () => {
    // GIVEN
    const named = offline({ clusterNetworkPolicy: false }, [Port.tcp(443)]);
    const dns = new Workload(named.stack, 'Dns', { binding: KubernetesBinding.pods('kube-system', { 'k8s-app': 'kube-dns' }) });
    new DenyFlow(named.stack, 'NoDns', { from: named.batch, to: dns, ports: [Port.udp(53)] });
    const cidr = offline({ clusterNetworkPolicy: false }, [Port.tcp(443)]);
    new DenyFlow(cidr.stack, 'NoPodNetwork', { from: cidr.batch, to: Peer.ipv4('10.244.0.0/16'), ports: [Port.udp(53)] });
    // WHEN / THEN
    expect(() => named.app.synth()).toThrow(/DenyFlow 'k8s\/NoDns' is overridden by the DNS allowance .* on udp\/53/s);
    expect(() => cidr.app.synth()).toThrow(/DenyFlow 'k8s\/NoPodNetwork' is overridden by the DNS allowance .* on udp\/53/s);
  });
});

describe('the evaluator and a ClusterNetworkPolicy networks peer', () => {
  test('GIVEN a cluster without podCidrs WHEN a DenyFlow takes pods offline THEN its networks 0.0.0.0/0 denies their flows to other pods too', () => {
    // GIVEN pods whose addresses are not known at synth
    const app = newApp();
    const stack = kubeEstate(app, 'k8s', { podCidrs: [] });
    const batch = podWorkload(stack, 'jobs', 'batch');
    const web = podWorkload(stack, 'shop', 'web');
    new AllowFlow(stack, 'BatchToWeb', { from: batch, to: web, ports: [Port.tcp(80)] });
    // WHEN
    new DenyFlow(stack, 'BatchIsOffline', { from: batch });
    // THEN the Admin Deny to 0.0.0.0/0 matches pod-to-pod traffic on the cluster, whatever the pods' addresses
    expect(stack).toDenyFlow(batch, web, Port.tcp(80));
  });
});
