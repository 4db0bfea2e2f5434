import { App, TerraformStack } from 'cdktf';
import { AllowFlow, DenyFlow, KubernetesBinding, Peer, Port, Workload } from '../../lib';
import { newApp, synthApp } from '../helpers';
import { kubeEstate } from './k8s-fixtures';

/** Pods A and B in namespace shop of cluster prod (pod CIDR 10.244.0.0/16), and the flow A -> B on all TCP unless `flowPorts` says otherwise. */
function shop(clusterNetworkPolicy: boolean, flowPorts: Port[] = [Port.allTcp()]): { app: App; stack: TerraformStack; a: Workload; b: Workload } {
  const app = newApp();
  const stack = kubeEstate(app, 'k', { clusterNetworkPolicy });
  const a = new Workload(stack, 'A', { binding: KubernetesBinding.pods('shop', { app: 'a' }) });
  const b = new Workload(stack, 'B', { binding: KubernetesBinding.pods('shop', { app: 'b' }) });
  new AllowFlow(stack, 'AtoB', { from: a, to: b, ports: flowPorts });
  return { app, stack, a, b };
}

/** The message synthesis fails with (fails the test if it synthesizes). */
function synthError(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synthesis succeeded');
}

/** The synthesized stack k: its NetworkPolicies and its ClusterNetworkPolicy manifests. */
function policies(app: App): { networkPolicies: any[]; manifests: any[] } {
  const out = synthApp(app).k;
  return {
    networkPolicies: Object.values<any>(out.json.resource?.kubernetes_network_policy_v1 ?? {}),
    manifests: Object.values<any>(out.json.resource?.kubernetes_manifest ?? {}).map((m) => m.manifest),
  };
}

function policyOf(networkPolicies: any[], app: string): any {
  return networkPolicies.find((p) => p.spec.pod_selector.match_labels?.app === app);
}

const NO_CNP = 'cluster \'prod\' has no ClusterNetworkPolicy (KubernetesEnforcement clusterNetworkPolicy: false) and NetworkPolicy cannot deny';
const PART = 'the DenyFlow names "10.244.1.0/24", which holds only part of the pods of cluster \'prod\' (podCidrs "10.244.0.0/16")';
const GRANT = 'or ask the platform team for a GuardrailAllow that grants it.';

describe('a DenyFlow naming a CIDR that holds part of the pod CIDRs, without ClusterNetworkPolicy', () => {
  test('GIVEN a DenyFlow from 10.244.1.0/24 to B on tcp/443 WHEN A -> B is allowed on all TCP THEN synthesis fails naming both, the CIDR, the pod CIDR and the fix', () => {
    // GIVEN B's NetworkPolicy admits A's pods by labels, wherever in 10.244.0.0/16 they get their addresses
    const { app, stack, b } = shop(false);
    new DenyFlow(stack, 'NoNode1', { from: Peer.ipv4('10.244.1.0/24'), to: b, ports: [Port.HTTPS] });
    // WHEN
    const message = synthError(app);
    // THEN
    expect(message).toContain(`DenyFlow 'k/NoNode1' is overridden by AllowFlow 'k/AtoB', which allows tcp/443 from workload 'k/A' to workload 'k/B' at workload 'k/B': ${PART}, and the pods of workload 'k/A' may have addresses in it (pod addresses do not follow labels), but the flow admits them by namespace and labels whatever their addresses: ${NO_CNP}. Remove the flow or narrow its ports or endpoints, give the DenyFlow a CIDR outside the pod CIDRs if the hosts it means are not pods (ClusterNetworkPolicy cannot name pods by address at ingress either), ${GRANT}`);
    expect(message).not.toContain('Turn on clusterNetworkPolicy');
  });

  test('GIVEN a DenyFlow from A to 10.244.1.0/24 on tcp/443 WHEN A -> B is allowed on all TCP THEN synthesis fails at A\'s egress and suggests ClusterNetworkPolicy', () => {
    // GIVEN A's egress admits B's pods by labels, wherever they get their addresses
    const { app, stack, a } = shop(false);
    new DenyFlow(stack, 'NoToNode1', { from: a, to: Peer.ipv4('10.244.1.0/24'), ports: [Port.HTTPS] });
    // WHEN
    const message = synthError(app);
    // THEN
    expect(message).toContain(`DenyFlow 'k/NoToNode1' is overridden by AllowFlow 'k/AtoB', which allows tcp/443 from workload 'k/A' to workload 'k/B' at workload 'k/A': ${PART}, and the pods of workload 'k/B' may have addresses in it (pod addresses do not follow labels), but the flow admits them by namespace and labels whatever their addresses: ${NO_CNP}. Turn on clusterNetworkPolicy (its Admin Deny names "10.244.1.0/24" by address at egress), remove the flow or narrow its ports or endpoints, ${GRANT}`);
  });

  test('GIVEN the egress DenyFlow WHEN the cluster has ClusterNetworkPolicy, as the message suggests THEN it synthesizes with an Admin Deny to the CIDR at A\'s egress', () => {
    // GIVEN
    const { app, stack, a } = shop(true);
    new DenyFlow(stack, 'NoToNode1', { from: a, to: Peer.ipv4('10.244.1.0/24'), ports: [Port.HTTPS] });
    // WHEN
    const { manifests } = policies(app);
    // THEN networks matches pod-to-pod traffic by address, whatever the pods' labels
    const deny = manifests.find((m) => m.spec.subject.pods?.podSelector.matchLabels.app === 'a');
    expect(deny.spec.egress).toEqual([expect.objectContaining({ action: 'Deny', to: [{ networks: ['10.244.1.0/24'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] })]);
  });
});

describe('the neighbouring cases keep their messages', () => {
  test('GIVEN no ClusterNetworkPolicy WHEN the DenyFlow comes from the whole pod CIDR THEN it is overridden as before', () => {
    // GIVEN
    const { app, stack, b } = shop(false);
    new DenyFlow(stack, 'NoNode1', { from: Peer.ipv4('10.244.0.0/16'), to: b, ports: [Port.HTTPS] });
    // WHEN
    const message = synthError(app);
    // THEN
    expect(message).toContain(`DenyFlow 'k/NoNode1' is overridden by AllowFlow 'k/AtoB', which allows tcp/443 from workload 'k/A' to workload 'k/B' at workload 'k/B': ${NO_CNP}. Remove the flow or narrow its ports or endpoints, ${GRANT}`);
    expect(message).not.toContain('holds only part');
  });

  test('GIVEN ClusterNetworkPolicy WHEN the DenyFlow comes from part of the pod CIDR THEN its ingress CIDR peer is refused as before', () => {
    // GIVEN
    const { app, stack, b } = shop(true);
    new DenyFlow(stack, 'NoNode1', { from: Peer.ipv4('10.244.1.0/24'), to: b, ports: [Port.HTTPS] });
    // WHEN
    const message = synthError(app);
    // THEN
    expect(message).toContain('DenyFlow \'k/NoNode1\' names "10.244.1.0/24", which holds only part of the pods of cluster \'prod\' (podCidrs "10.244.0.0/16"), at the ingress of workload \'k/B\': ClusterNetworkPolicy names pods at ingress by namespace and labels, not by address, so it cannot deny the traffic of just the pods inside "10.244.1.0/24". Name the pods\' workloads or segments instead, or give a CIDR that holds all of the cluster\'s pod CIDRs or none of them.');
    expect(message).not.toContain('is overridden');
  });
});

describe('DenyFlows that cannot meet the pods still synthesize as before, without ClusterNetworkPolicy', () => {
  const B_INGRESS = [{ from: [{ pod_selector: { match_labels: { app: 'a' } } }], ports: [{ protocol: 'TCP' }] }];
  const A_EGRESS = [{ to: [{ pod_selector: { match_labels: { app: 'b' } } }], ports: [{ protocol: 'TCP' }] }];

  test.each([
    ['from a CIDR outside the pod CIDRs', (s: TerraformStack, _a: Workload, b: Workload) => new DenyFlow(s, 'D', { from: Peer.ipv4('192.0.2.0/24'), to: b, ports: [Port.HTTPS] })],
    ['to a CIDR outside the pod CIDRs', (s: TerraformStack, a: Workload) => new DenyFlow(s, 'D', { from: a, to: Peer.ipv4('192.0.2.0/24'), ports: [Port.HTTPS] })],
    ['from part of the pod CIDR into A, which the flow leaves', (s: TerraformStack, a: Workload) => new DenyFlow(s, 'D', { from: Peer.ipv4('10.244.1.0/24'), to: a, ports: [Port.HTTPS] })],
    ['from B to part of the pod CIDR, where B has no flow', (s: TerraformStack, _a: Workload, b: Workload) => new DenyFlow(s, 'D', { from: b, to: Peer.ipv4('10.244.1.0/24'), ports: [Port.HTTPS] })],
  ])('GIVEN A -> B on all TCP WHEN a DenyFlow %s THEN the policies are those of the program without it', (_name, declare) => {
    // GIVEN
    const without = shop(false);
    const { app, stack, a, b } = shop(false);
    // WHEN
    declare(stack, a, b);
    // THEN
    const { networkPolicies, manifests } = policies(app);
    expect(policyOf(networkPolicies, 'b').spec.ingress).toEqual(B_INGRESS);
    expect(policyOf(networkPolicies, 'a').spec.egress).toEqual(A_EGRESS);
    expect(manifests).toEqual([]);
    expect(networkPolicies).toEqual(policies(without.app).networkPolicies);
  });

  test.each([
    ['from part of the pod CIDR to B', (s: TerraformStack, _a: Workload, b: Workload) => new DenyFlow(s, 'D', { from: Peer.ipv4('10.244.1.0/24'), to: b, ports: [Port.HTTPS] })],
    ['from A to part of the pod CIDR', (s: TerraformStack, a: Workload) => new DenyFlow(s, 'D', { from: a, to: Peer.ipv4('10.244.1.0/24'), ports: [Port.HTTPS] })],
  ])('GIVEN A -> B on tcp/80 only WHEN a DenyFlow %s on tcp/443 THEN the policies are those of the program without it', (_name, declare) => {
    // GIVEN
    const without = shop(false, [Port.tcp(80)]);
    const { app, stack, a, b } = shop(false, [Port.tcp(80)]);
    // WHEN
    declare(stack, a, b);
    // THEN
    const { networkPolicies, manifests } = policies(app);
    expect(policyOf(networkPolicies, 'b').spec.ingress).toEqual([{ from: [{ pod_selector: { match_labels: { app: 'a' } } }], ports: [{ protocol: 'TCP', port: '80' }] }]);
    expect(manifests).toEqual([]);
    expect(networkPolicies).toEqual(policies(without.app).networkPolicies);
  });

  test('GIVEN an AllowFlow from the pod CIDR to B WHEN the DenyFlow comes from part of it THEN the part is carved out with ipBlock.except as before', () => {
    // GIVEN B is reached by address, not by labels
    const { app, stack, b } = shop(false, [Port.tcp(80)]);
    new AllowFlow(stack, 'PodsToB', { from: Peer.ipv4('10.244.0.0/16'), to: b, ports: [Port.HTTPS] });
    // WHEN
    new DenyFlow(stack, 'NoNode1', { from: Peer.ipv4('10.244.1.0/24'), to: b, ports: [Port.HTTPS] });
    // THEN
    const { networkPolicies } = policies(app);
    expect(policyOf(networkPolicies, 'b').spec.ingress).toContainEqual({ from: [{ ip_block: { cidr: '10.244.0.0/16', except: ['10.244.1.0/24'] } }], ports: [{ protocol: 'TCP', port: '443' }] });
  });
});
