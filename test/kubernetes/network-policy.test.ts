import { PodV1 } from '@cdktf/provider-kubernetes/lib/pod-v1';
import { App } from 'cdktf';
import { DenyFlow, GuardrailAllow, KubernetesBinding, Peer, Port, Segment, Workload } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import '../../lib/verify/jest';
import { newApp, synthApp } from '../helpers';
import { kubeEstate, kubeStack, podWorkload } from './k8s-fixtures';

/** The evaluator's verdicts on the synthesized app. */
function verdicts(app: App) {
  const out = synthApp(app);
  const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, stack]) => [name, stack.json])));
  return { out, check: (from: string, to: string, port: string) => evaluate(model, { from, to, port }) };
}

/** The resources of one type in a synthesized stack, as a list of bodies. */
function resources(stack: { json: any }, type: string): any[] {
  return Object.values(stack.json.resource?.[type] ?? {});
}

function shop(props: Parameters<typeof kubeEstate>[2] = {}) {
  const app = newApp();
  const stack = kubeEstate(app, 'k8s', props);
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
  const worker = new Segment(stack, 'Worker', { selector: { tier: 'worker' } });
  podWorkload(stack, 'front', 'web');
  podWorkload(stack, 'back', 'api');
  podWorkload(stack, 'back', 'worker');
  return { app, stack, web, api, worker };
}

describe('Kubernetes NetworkPolicy rendering', () => {
  test('GIVEN pods in two namespaces WHEN flows are declared THEN each end gets its half and the rest is denied both ways', () => {
    // GIVEN
    const { app, web, api, worker } = shop();
    web.allowFrom(Peer.ipv4('203.0.113.0/24'), Port.HTTPS);
    api.allowFrom(web, Port.tcp(8080));
    worker.allowFrom(api, Port.udpRange(9000, 9010));
    // WHEN
    const { check } = verdicts(app);
    // THEN
    expect(check('203.0.113.7', 'k8s/Web', 'tcp/443').allowed).toBe(true);
    expect(check('k8s/Web', 'k8s/Api', 'tcp/8080').allowed).toBe(true);
    expect(check('k8s/Api', 'k8s/Worker', 'udp/9005').allowed).toBe(true);
    expect(check('k8s/Api', 'k8s/Worker', 'udp/9011').allowed).toBe(false);
    expect(check('k8s/Web', 'k8s/Worker', 'udp/9005').allowed).toBe(false);
    expect(check('k8s/Web', 'k8s/Api', 'tcp/8081').allowed).toBe(false);
    expect(check('k8s/Api', 'k8s/Web', 'tcp/8080').allowed).toBe(false);
    expect(check('198.51.100.1', 'k8s/Web', 'tcp/443').allowed).toBe(false);
    expect(check('k8s/Web', '198.51.100.1', 'tcp/443').allowed).toBe(false);
  });

  test('GIVEN a cross-namespace flow WHEN synthesized THEN the egress rule names the namespace by kubernetes.io/metadata.name and the same-namespace one does not', () => {
    // GIVEN
    const { app, web, api, worker } = shop();
    api.allowFrom(web, Port.tcp(8080));
    worker.allowFrom(api, Port.tcp(7000));
    // WHEN
    const { out } = verdicts(app);
    // THEN
    const policies = resources(out.k8s, 'kubernetes_network_policy_v1');
    const webPolicy = policies.find((p) => p.spec.pod_selector.match_labels?.app === 'web');
    expect(webPolicy.metadata.namespace).toBe('front');
    expect(webPolicy.spec.policy_types).toEqual(['Ingress', 'Egress']);
    expect(webPolicy.spec.egress).toEqual([{
      to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'back' } }, pod_selector: { match_labels: { app: 'api' } } }],
      ports: [{ protocol: 'TCP', port: '8080' }],
    }]);
    const apiPolicy = policies.find((p) => p.spec.pod_selector.match_labels?.app === 'api');
    expect(apiPolicy.spec.egress).toEqual([{ to: [{ pod_selector: { match_labels: { app: 'worker' } } }], ports: [{ protocol: 'TCP', port: '7000' }] }]);
  });

  test('GIVEN every namespace the enforcement manages THEN it has a default deny both ways and DNS to the cluster resolver, which can be turned off', () => {
    // GIVEN
    const on = shop({ managedNamespaces: ['batch'] });
    const off = shop({ allowDns: false });
    // WHEN
    const withDns = verdicts(on.app);
    const withoutDns = verdicts(off.app);
    // THEN
    const denies = resources(withDns.out.k8s, 'kubernetes_network_policy_v1').filter((p) => p.metadata.name === 'microseg-default-deny');
    expect(denies.map((p) => p.metadata.namespace).sort()).toEqual(['back', 'batch', 'front']);
    for (const deny of denies) expect(deny.spec).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
    const dns = resources(withDns.out.k8s, 'kubernetes_network_policy_v1').filter((p) => p.metadata.name === 'microseg-allow-dns');
    expect(dns.map((p) => p.metadata.namespace).sort()).toEqual(['back', 'batch', 'front']);
    expect(dns[0].spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: '53' }, { protocol: 'TCP', port: '53' }]);
    expect(resources(withoutDns.out.k8s, 'kubernetes_network_policy_v1').filter((p) => p.metadata.name === 'microseg-allow-dns')).toEqual([]);
  });

  test('GIVEN a managed workload in the DNS namespace THEN the resolver pods keep answering every namespace and reaching upstream, past the namespace\'s default deny', () => {
    // GIVEN metrics-server managed in kube-system, where CoreDNS runs, and CoreDNS known to the evaluator
    const { app, stack } = shop();
    const metrics = new Workload(stack, 'MetricsServer', { binding: KubernetesBinding.pods('kube-system', { 'k8s-app': 'metrics-server' }) });
    new Workload(stack, 'CoreDns', { binding: KubernetesBinding.pods('kube-system', { 'k8s-app': 'kube-dns' }) });
    new Workload(stack, 'Upstream', { addresses: ['192.0.2.53'] });
    metrics.allowTo(Peer.ipv4('10.0.0.0/8'), Port.tcp(10250));
    // WHEN
    const { out, check } = verdicts(app);
    // THEN kube-system is default deny, with a policy for the resolver pods only
    const policies = resources(out.k8s, 'kubernetes_network_policy_v1').filter((p) => p.metadata.namespace === 'kube-system');
    expect(policies.map((p) => p.metadata.name)).toContain('microseg-default-deny');
    expect(policies.filter((p) => p.metadata.name === 'microseg-dns-resolver').map((p) => p.spec)).toEqual([{
      pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } },
      policy_types: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ protocol: 'UDP', port: '53' }, { protocol: 'TCP', port: '53' }] }],
      egress: [{}],
    }]);
    // and pods of every managed namespace reach it on 53, while other ports and other kube-system pods stay closed
    expect(check('k8s/WebPods', 'k8s/CoreDns', 'udp/53').allowed).toBe(true);
    expect(check('k8s/ApiPods', 'k8s/CoreDns', 'tcp/53').allowed).toBe(true);
    expect(check('k8s/WebPods', 'k8s/CoreDns', 'tcp/8080').allowed).toBe(false);
    expect(check('k8s/WebPods', 'k8s/MetricsServer', 'udp/53').allowed).toBe(false);
    expect(check('k8s/CoreDns', 'k8s/Upstream', 'udp/53').allowed).toBe(true);
  });

  test('GIVEN Port.allTraffic and a TCP range WHEN rendered THEN the rule has no ports, and the range uses end_port', () => {
    // GIVEN
    const { app, web, api, worker } = shop();
    api.allowFrom(web, Port.allTraffic());
    worker.allowFrom(api, Port.tcpRange(8000, 8100));
    // WHEN
    const { out, check } = verdicts(app);
    // THEN
    const policies = resources(out.k8s, 'kubernetes_network_policy_v1');
    const apiPolicy = policies.find((p) => p.spec.pod_selector.match_labels?.app === 'api');
    expect(apiPolicy.spec.ingress[0].ports).toBeUndefined();
    expect(apiPolicy.spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: '8000', end_port: 8100 }]);
    expect(check('k8s/Web', 'k8s/Api', 'icmp/8').allowed).toBe(true);
    expect(check('k8s/Api', 'k8s/Worker', 'tcp/8100').allowed).toBe(true);
    expect(check('k8s/Api', 'k8s/Worker', 'tcp/8101').allowed).toBe(false);
  });

  test('GIVEN an ICMP port on a pod flow WHEN synthesized THEN synthesis fails naming the flow and the fix', () => {
    // GIVEN
    const { app, web, api } = shop();
    api.allowFrom(web, Port.icmp(8));
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/AllowFlow 'k8s\/Api\/AllowFrom-[^']*' names ICMP \(icmp\), which a Kubernetes NetworkPolicy cannot match on its own.*Port\.allTraffic\(\)/s);
  });

  test('GIVEN port 0 on a pod flow WHEN synthesized THEN synthesis fails: Kubernetes port numbers are 1-65535 (it rendered port 1, a port the intent never names)', () => {
    const { app, web, api } = shop();
    api.allowFrom(web, Port.tcp(0));
    expect(() => app.synth()).toThrow(/AllowFlow 'k8s\/Api\/AllowFrom-[^']*' names port 0 \(tcp\/0\), which a Kubernetes NetworkPolicy cannot match: its port numbers are 1-65535/);
  });

  test('GIVEN a range from 0 on a pod flow THEN it starts at 1, the same traffic', () => {
    const { app, web, api } = shop();
    api.allowFrom(web, Port.tcpRange(0, 100));
    const policies = resources(synthApp(app).k8s, 'kubernetes_network_policy_v1');
    expect(policies.find((p) => p.spec.pod_selector.match_labels?.app === 'api').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: '1', end_port: 100 }]);
  });

  test('GIVEN pods of another tool (namespace + labels) WHEN a flow names them THEN they get a NetworkPolicy selecting those labels, without touching the pods', () => {
    // GIVEN
    const { app, stack, web } = shop();
    const redis = new Workload(stack, 'Redis', { binding: KubernetesBinding.pods('data', { 'app.kubernetes.io/name': 'redis' }), labels: { tier: 'cache' } });
    web.allowTo(redis, Port.REDIS);
    // WHEN
    const { out, check } = verdicts(app);
    // THEN
    const policy = resources(out.k8s, 'kubernetes_network_policy_v1').find((p) => p.spec.pod_selector.match_labels?.['app.kubernetes.io/name'] === 'redis');
    expect(policy.metadata.namespace).toBe('data');
    expect(policy.spec.ingress[0].from[0].namespace_selector.match_labels).toEqual({ 'kubernetes.io/metadata.name': 'front' });
    expect(check('k8s/WebPods', 'k8s/Redis', 'tcp/6379').allowed).toBe(true);
    expect(check('k8s/ApiPods', 'k8s/Redis', 'tcp/6379').allowed).toBe(false);
  });

  test('GIVEN two workloads whose selector overlaps WHEN synthesized THEN it is an error naming both', () => {
    // GIVEN
    const { app, stack } = shop();
    new Workload(stack, 'Canary', { binding: KubernetesBinding.pods('back', { app: 'api', track: 'canary' }), labels: { tier: 'canary' } });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/Workload 'k8s\/ApiPods' selects its pods by \{app=api\}, which the pods of workload 'k8s\/Canary' in namespace "back" carry too/);
  });

  test('GIVEN labelPods WHEN two workloads share labels THEN each pod template gets its own label and its policy selects by it alone', () => {
    // GIVEN web pods and canary pods that both carry app=web (no error: the enforcement labels them apart)
    const { app, stack, web, api } = shop({ labelPods: true });
    const canaryPod = new PodV1(stack, 'canary-pod', {
      metadata: { name: 'web-canary', namespace: 'front', labels: { app: 'web', track: 'canary' } },
      spec: { container: [{ name: 'web', image: 'example/web:2' }] },
    });
    const canary = new Workload(stack, 'Canary', { binding: KubernetesBinding.pod(canaryPod), labels: { tier: 'canary' } });
    api.allowFrom(web, Port.tcp(8080));
    // WHEN
    const { out, check } = verdicts(app);
    // THEN
    const templates = Object.values<any>(out.k8s.json.resource.kubernetes_deployment_v1).map((d) => d.spec.template.metadata.labels);
    expect(templates).toHaveLength(3);
    expect(templates.every((labels) => /^w-k8s-/.test(labels['microseg.cdktf.io/workload']))).toBe(true);
    expect(Object.values<any>(out.k8s.json.resource.kubernetes_pod_v1)[0].metadata.labels).toEqual({ 'app': 'web', 'track': 'canary', 'microseg.cdktf.io/workload': expect.stringMatching(/^w-k8s-canary-/) });
    const policies = resources(out.k8s, 'kubernetes_network_policy_v1').filter((p) => p.spec.pod_selector.match_labels);
    expect(policies.every((p) => Object.keys(p.spec.pod_selector.match_labels).join() === 'microseg.cdktf.io/workload')).toBe(true);
    expect(check('k8s/WebPods', 'k8s/ApiPods', 'tcp/8080').allowed).toBe(true);
    expect(check(canary.node.path, 'k8s/ApiPods', 'tcp/8080').allowed).toBe(false);
  });

  test('GIVEN a pod workload in a stack without KubernetesEnforcement THEN synthesis fails with the fix', () => {
    const app = newApp();
    const stack = kubeStack(app, 'bare');
    new Workload(stack, 'Pods', { binding: KubernetesBinding.pods('shop', { app: 'x' }) });
    expect(() => app.synth()).toThrow(/Workload 'bare\/Pods' is bound with KubernetesBinding\.pods but stack 'bare' has no KubernetesEnforcement/);
  });
});

describe('Kubernetes SCTP ports', () => {
  test('GIVEN an SCTP port and an SCTP range between pods WHEN synthesized THEN NetworkPolicy ports say SCTP with port and end_port, and only those SCTP ports are allowed', () => {
    // GIVEN
    const { app, web, api } = shop();
    api.allowFrom(web, Port.sctp(38412), Port.sctpRange(36412, 36422));
    // WHEN
    const { out, check } = verdicts(app);
    // THEN
    const policies = resources(out.k8s, 'kubernetes_network_policy_v1');
    const apiPolicy = policies.find((p) => p.spec.pod_selector.match_labels?.app === 'api');
    expect(apiPolicy.spec.ingress).toEqual([{
      from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'front' } }, pod_selector: { match_labels: { app: 'web' } } }],
      ports: [{ protocol: 'SCTP', port: '38412' }, { protocol: 'SCTP', port: '36412', end_port: 36422 }],
    }]);
    expect(check('k8s/Web', 'k8s/Api', 'sctp/38412').allowed).toBe(true);
    expect(check('k8s/Web', 'k8s/Api', 'sctp/36420').allowed).toBe(true);
    expect(check('k8s/Web', 'k8s/Api', 'sctp/38413').allowed).toBe(false);
    expect(check('k8s/Web', 'k8s/Api', 'tcp/38412').allowed).toBe(false);
    expect(check('k8s/Api', 'k8s/Web', 'sctp/38412').allowed).toBe(false);
  });

  test('GIVEN a GuardrailAllow on SCTP WHEN the cluster has ClusterNetworkPolicy THEN its protocols entry is sctp and the port is allowed', () => {
    // GIVEN
    const { app, stack, web, api } = shop();
    new GuardrailAllow(stack, 'Ngap', { from: web, to: api, ports: [Port.sctp(38412)] });
    // WHEN
    const { out, check } = verdicts(app);
    // THEN
    const manifests = resources(out.k8s, 'kubernetes_manifest').map((m) => m.manifest);
    const accept = manifests.find((m) => m.spec.ingress?.[0]?.action === 'Accept');
    expect(accept.spec.ingress[0].protocols).toEqual([{ sctp: { destinationPort: { number: 38412 } } }]);
    expect(check('k8s/Web', 'k8s/Api', 'sctp/38412').allowed).toBe(true);
    expect(check('k8s/Web', 'k8s/Api', 'sctp/38413').allowed).toBe(false);
  });
});

describe('Kubernetes guardrails', () => {
  test('GIVEN a DenyFlow and a GuardrailAllow on a cluster with ClusterNetworkPolicy THEN they are Admin Deny and Accept rules and win over NetworkPolicy', () => {
    // GIVEN
    const { app, stack, web, api } = shop();
    api.allowFrom(web, Port.tcp(8080), Port.SSH);
    new DenyFlow(stack, 'NoSsh', { from: web, to: api, ports: [Port.SSH] });
    new GuardrailAllow(stack, 'Monitoring', { from: api, to: web, ports: [Port.tcp(9100)] });
    // WHEN
    const { out, check } = verdicts(app);
    // THEN
    expect(check('k8s/Web', 'k8s/Api', 'tcp/8080').allowed).toBe(true);
    expect(check('k8s/Web', 'k8s/Api', 'tcp/22').allowed).toBe(false);
    expect(check('k8s/Api', 'k8s/Web', 'tcp/9100').allowed).toBe(true);
    const manifests = resources(out.k8s, 'kubernetes_manifest').map((m) => m.manifest);
    const deny = manifests.find((m) => m.spec.ingress?.[0]?.action === 'Deny');
    expect(deny).toMatchObject({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      spec: { tier: 'Admin', priority: 110, subject: { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'back' } }, podSelector: { matchLabels: { app: 'api' } } } } },
    });
    expect(deny.spec.ingress[0].protocols).toEqual([{ tcp: { destinationPort: { number: 22 } } }]);
    const accept = manifests.find((m) => m.spec.egress?.[0]?.action === 'Accept');
    expect(accept.spec.priority).toBe(100);
  });

  test('GIVEN a cluster without ClusterNetworkPolicy WHEN an allow overrides a DenyFlow THEN synthesis fails as on AWS, and a narrower CIDR deny becomes ipBlock.except', () => {
    // GIVEN
    const { app, stack, web, api } = shop({ clusterNetworkPolicy: false });
    api.allowFrom(web, Port.SSH);
    new DenyFlow(stack, 'NoSsh', { from: web, to: api, ports: [Port.SSH] });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/DenyFlow 'k8s\/NoSsh' is overridden by AllowFlow 'k8s\/Api\/AllowFrom-k8s-Web-tcp-22', which allows tcp\/22 .*has no ClusterNetworkPolicy/s);

    const second = shop({ clusterNetworkPolicy: false });
    second.web.allowFrom(Peer.ipv4('10.0.0.0/8'), Port.HTTPS);
    new DenyFlow(second.stack, 'NoLab', { from: Peer.ipv4('10.9.0.0/16'), to: second.web });
    const { out, check } = verdicts(second.app);
    const webPolicy = resources(out.k8s, 'kubernetes_network_policy_v1').find((p) => p.spec.pod_selector.match_labels?.app === 'web');
    expect(webPolicy.spec.ingress[0].from).toEqual([{ ip_block: { cidr: '10.0.0.0/8', except: ['10.9.0.0/16'] } }]);
    expect(resources(out.k8s, 'kubernetes_manifest')).toEqual([]);
    expect(check('10.1.2.3', 'k8s/Web', 'tcp/443').allowed).toBe(true);
    expect(check('10.9.2.3', 'k8s/Web', 'tcp/443').allowed).toBe(false);
  });

  test('GIVEN a DenyFlow from anywhere to an external host WHEN pods have an allow to it THEN an Admin Deny at their egress wins over it', () => {
    // GIVEN a guardrail no pod is a member of: it is enforced at every managed workload's egress
    const { app, stack, web } = shop();
    const partner = new Workload(stack, 'Partner', { addresses: ['192.0.2.10'] });
    web.allowTo(partner, Port.HTTPS);
    new DenyFlow(stack, 'NeverPartner', { to: partner });
    // WHEN / THEN
    const { out, check } = verdicts(app);
    expect(check('k8s/Web', 'k8s/Partner', 'tcp/443').allowed).toBe(false);
    const deny = resources(out.k8s, 'kubernetes_manifest').map((m) => m.manifest).filter((m) => JSON.stringify(m.spec.egress ?? []).includes('192.0.2.10/32'));
    // at every pod of the cluster (Web, Api, Worker), since the guardrail comes from anywhere
    const rule = [expect.objectContaining({ action: 'Deny', to: [{ networks: ['192.0.2.10/32'] }] })];
    expect(deny.map((m) => m.spec.egress)).toEqual([rule, rule, rule]);
  });

  test('GIVEN the same without ClusterNetworkPolicy THEN nothing can deny it and synthesis fails', () => {
    const { app, stack, web } = shop({ clusterNetworkPolicy: false });
    const partner = new Workload(stack, 'Partner', { addresses: ['192.0.2.10'] });
    web.allowTo(partner, Port.HTTPS);
    new DenyFlow(stack, 'NeverPartner', { to: partner });
    expect(() => app.synth()).toThrow(/DenyFlow 'k8s\/NeverPartner' is overridden by AllowFlow 'k8s\/Web\/AllowTo-k8s-Partner-tcp-443'/);
  });

  test('GIVEN a Baseline default deny THEN a Baseline ClusterNetworkPolicy denies pod traffic of the managed namespaces', () => {
    const { app } = shop({ baselineDefaultDeny: true });
    const { out } = verdicts(app);
    const baseline = resources(out.k8s, 'kubernetes_manifest').map((m) => m.manifest).find((m) => m.spec.tier === 'Baseline');
    expect(baseline.spec.priority).toBe(1000);
    expect(baseline.spec.subject).toEqual({ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['back', 'front'] }] } });
    expect(baseline.spec.ingress).toEqual([{ name: 'microseg-baseline-deny', action: 'Deny', from: [{ namespaces: {} }] }]);
  });

  test('GIVEN an out-of-range priority THEN the enforcement reports it', () => {
    const { app } = shop({ guardrailDenyPriority: 1001 });
    expect(() => app.synth()).toThrow(/KubernetesEnforcement 'k8s\/Cluster' guardrailDenyPriority 1001 is outside 0-1000/);
  });
});

describe('a peer with two addresses, each named in its own ipBlock', () => {
  test('GIVEN a host known by two addresses WHEN it and the pods may reach each other THEN the verdicts count the ipBlocks together', () => {
    // GIVEN pods and a host with two addresses (one ipBlock each in the NetworkPolicy)
    const app = new App();
    const stack = kubeEstate(app, 'k');
    const pods = podWorkload(stack, 'shop', 'api');
    const partner = new Workload(stack, 'Partner', { addresses: ['203.0.113.5', '203.0.113.9'] });
    // WHEN
    pods.allowFrom(partner, Port.HTTPS);
    pods.allowTo(partner, Port.tcp(8080));
    // THEN both directions are allowed on their ports only
    expect(stack).toAllowFlow(partner, pods, Port.HTTPS);
    expect(stack).toAllowFlow(pods, partner, Port.tcp(8080));
    expect(stack).toDenyFlow(partner, pods, Port.tcp(8080));
    expect(stack).toDenyFlow(pods, partner, Port.HTTPS);
  });
});
