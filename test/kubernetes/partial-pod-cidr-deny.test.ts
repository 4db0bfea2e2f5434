import '../../lib/verify/jest';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { AllowFlow, DenyFlow, GuardrailAllow, KubernetesBinding, KubernetesEnforcement, Peer, Port, Workload } from '../../lib';
import { newApp, synthApp } from '../helpers';
import { kubeEstate, kubeStack } from './k8s-fixtures';

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

/**
 * Pods A in namespace shop of cluster prod (pod CIDR 10.244.0.0/16), a host Partner known only by
 * its address 192.0.2.10, and the flow between them on tcp/443 (`outbound`: A -> Partner, else
 * Partner -> A). `podCidrs` and A's `addresses` change the cluster and the pods.
 */
function partnerEstate(
  clusterNetworkPolicy: boolean, outbound: boolean, options: { podCidrs?: (stack: TerraformStack) => string[]; addresses?: string[] } = {},
): { app: App; stack: TerraformStack; a: Workload; partner: Workload } {
  const app = newApp();
  const stack = kubeStack(app, 'k');
  const podCidrs = options.podCidrs ? options.podCidrs(stack) : ['10.244.0.0/16'];
  new KubernetesEnforcement(stack, 'Cluster', { clusterName: 'prod', podCidrs, clusterNetworkPolicy });
  const a = new Workload(stack, 'A', { binding: KubernetesBinding.pods('shop', { app: 'a' }), addresses: options.addresses });
  const partner = new Workload(stack, 'Partner', { addresses: ['192.0.2.10'] });
  new AllowFlow(stack, 'Flow', { from: outbound ? a : partner, to: outbound ? partner : a, ports: [Port.HTTPS] });
  return { app, stack, a, partner };
}

/** The DenyFlow between `cidr` and the partner on tcp/443, in the direction of the estate's flow. */
function denyPartner(e: { stack: TerraformStack; partner: Workload }, outbound: boolean, cidr: string, ports: Port[] = [Port.HTTPS]): DenyFlow {
  return outbound
    ? new DenyFlow(e.stack, 'NoNode1', { from: Peer.ipv4(cidr), to: e.partner, ports })
    : new DenyFlow(e.stack, 'NoNode1', { from: e.partner, to: Peer.ipv4(cidr), ports });
}

describe('a DenyFlow between a CIDR holding part of the pod CIDRs and a host outside the cluster', () => {
  const OUTBOUND = 'DenyFlow \'k/NoNode1\' is overridden by AllowFlow \'k/Flow\', which allows tcp/443 from workload \'k/A\' to workload \'k/Partner\' at workload \'k/A\'';
  const INBOUND = 'DenyFlow \'k/NoNode1\' is overridden by AllowFlow \'k/Flow\', which allows tcp/443 from workload \'k/Partner\' to workload \'k/A\' at workload \'k/A\'';
  const MAY = 'and the pods of workload \'k/A\' may have addresses in it (pod addresses do not follow labels)';
  const NO_CNP_RULE = (direction: string) => `but the flow's ${direction} rule selects them by namespace and labels whatever their addresses: ${NO_CNP}`;
  const CNP_RULE = (direction: string) => `but the flow's ${direction} rule selects them by namespace and labels whatever their addresses: ClusterNetworkPolicy selects the pods an Admin Deny applies to by namespace and labels, not by address, so it cannot deny the ${direction} of just the pods inside "10.244.1.0/24", and NetworkPolicy cannot deny`;
  const EGRESS_FIX = 'the DenyFlow the cluster\'s whole pod CIDRs if it means every pod, or name the pods by their workloads or segments instead of by address';
  const EGRESS_REST = 'give it a CIDR outside the pod CIDRs if the hosts it means are not pods; otherwise remove the flow or narrow its ports or endpoints, or ask the platform team for a GuardrailAllow that grants it.';

  test('GIVEN no ClusterNetworkPolicy and A -> Partner on tcp/443 WHEN a DenyFlow forbids 10.244.1.0/24 -> Partner THEN synthesis fails at A\'s egress, naming both, the CIDR, the pod CIDRs and the fix', () => {
    // GIVEN A's egress admits all of its pods, wherever in 10.244.0.0/16 they get their addresses, and the partner enforces nothing
    const e = partnerEstate(false, true);
    // WHEN
    denyPartner(e, true, '10.244.1.0/24');
    // THEN
    const message = synthError(e.app);
    expect(message).toContain(`${OUTBOUND}: ${PART}, ${MAY}, ${NO_CNP_RULE('egress')}. Turn on clusterNetworkPolicy and give ${EGRESS_FIX} (its Admin Deny then denies their egress); ${EGRESS_REST}`);
  });

  test('GIVEN ClusterNetworkPolicy and A -> Partner on tcp/443 WHEN a DenyFlow forbids 10.244.1.0/24 -> Partner THEN synthesis fails: an Admin Deny selects pods by labels, not by address', () => {
    // GIVEN
    const e = partnerEstate(true, true);
    // WHEN
    denyPartner(e, true, '10.244.1.0/24');
    // THEN
    const message = synthError(e.app);
    expect(message).toContain(`${OUTBOUND}: ${PART}, ${MAY}, ${CNP_RULE('egress')}. Give ${EGRESS_FIX} (an Admin Deny then denies their egress); ${EGRESS_REST}`);
  });

  test.each([
    ['no ClusterNetworkPolicy', false, NO_CNP_RULE('ingress'), ' (ClusterNetworkPolicy cannot deny traffic from addresses at ingress either)'],
    ['ClusterNetworkPolicy', true, 'but the flow\'s ingress rule selects them by namespace and labels whatever their addresses: ClusterNetworkPolicy cannot deny traffic from addresses at ingress (its ingress peers are namespaces and pods) and NetworkPolicy cannot deny', ''],
  ])('GIVEN %s and Partner -> A on tcp/443 WHEN a DenyFlow forbids Partner -> 10.244.1.0/24 THEN synthesis fails at A\'s ingress', (_name, cnp, why, either) => {
    // GIVEN
    const e = partnerEstate(cnp, false);
    // WHEN
    denyPartner(e, false, '10.244.1.0/24');
    // THEN
    const message = synthError(e.app);
    expect(message).toContain(`${INBOUND}: ${PART}, ${MAY}, ${why}. Remove the flow or narrow its ports or endpoints, give the DenyFlow a CIDR outside the pod CIDRs if the hosts it means are not pods${either}, ${GRANT}`);
  });

  test('GIVEN A -> 192.0.2.0/24, a CIDR peer outside the pod CIDRs that holds the partner WHEN a DenyFlow forbids 10.244.1.0/24 -> Partner THEN synthesis fails at A\'s egress', () => {
    // GIVEN
    const app = newApp();
    const stack = kubeEstate(app, 'k', { clusterNetworkPolicy: false });
    const a = new Workload(stack, 'A', { binding: KubernetesBinding.pods('shop', { app: 'a' }) });
    const partner = new Workload(stack, 'Partner', { addresses: ['192.0.2.10'] });
    new AllowFlow(stack, 'Flow', { from: a, to: Peer.ipv4('192.0.2.0/24'), ports: [Port.allTcp()] });
    // WHEN
    denyPartner({ stack, partner }, true, '10.244.1.0/24');
    // THEN
    expect(synthError(app)).toContain(`${OUTBOUND}: ${PART}, ${MAY}, ${NO_CNP_RULE('egress')}.`);
  });

  test('GIVEN the pods are named by their workload, as the message suggests WHEN the cluster has ClusterNetworkPolicy THEN an Admin Deny stops A\'s egress to the partner', () => {
    // GIVEN
    const e = partnerEstate(true, true);
    // WHEN
    new DenyFlow(e.stack, 'NoAToPartner', { from: e.a, to: e.partner, ports: [Port.HTTPS] });
    // THEN
    const { manifests } = policies(e.app);
    expect(manifests.map((m) => [m.spec.subject.pods.podSelector.matchLabels, m.spec.egress.map((r: any) => [r.action, r.to, r.protocols])]))
      .toEqual([[{ app: 'a' }, [['Deny', [{ networks: ['192.0.2.10/32'] }], [{ tcp: { destinationPort: { number: 443 } } }]]]]]);
  });

  describe('the whole pod CIDR keeps its behaviour', () => {
    test.each([
      ['no ClusterNetworkPolicy', 'A -> Partner', false, true, `${OUTBOUND}: ${NO_CNP}. Remove the flow or narrow its ports or endpoints, ${GRANT}`],
      ['no ClusterNetworkPolicy', 'Partner -> A', false, false, `${INBOUND}: ${NO_CNP}. Remove the flow or narrow its ports or endpoints, ${GRANT}`],
      ['ClusterNetworkPolicy', 'Partner -> A', true, false, `${INBOUND}: ClusterNetworkPolicy cannot deny traffic from addresses at ingress (its ingress peers are namespaces and pods) and NetworkPolicy cannot deny. Remove the flow or narrow its ports or endpoints, ${GRANT}`],
    ])('GIVEN %s and %s WHEN the DenyFlow names 10.244.0.0/16 THEN synthesis fails as before', (_name, _flow, cnp, outbound, expected) => {
      // GIVEN
      const e = partnerEstate(cnp, outbound);
      // WHEN
      denyPartner(e, outbound, '10.244.0.0/16');
      // THEN
      const message = synthError(e.app);
      expect(message).toContain(expected);
      expect(message).not.toContain('holds only part');
    });

    test('GIVEN ClusterNetworkPolicy and A -> Partner WHEN the DenyFlow names 10.244.0.0/16 -> Partner THEN it synthesizes with an Admin Deny at A\'s egress as before', () => {
      // GIVEN
      const e = partnerEstate(true, true);
      // WHEN
      denyPartner(e, true, '10.244.0.0/16');
      // THEN every pod of A lies in the CIDR, so the Admin Deny selecting them by labels says the DenyFlow exactly
      const { manifests } = policies(e.app);
      expect(manifests.map((m) => [m.spec.subject.pods.podSelector.matchLabels, m.spec.egress.map((r: any) => [r.action, r.to, r.protocols])]))
        .toEqual([[{ app: 'a' }, [['Deny', [{ networks: ['192.0.2.10/32'] }], [{ tcp: { destinationPort: { number: 443 } } }]]]]]);
    });
  });

  describe('DenyFlows that cannot meet the flow synthesize as before', () => {
    const A_EGRESS = [{ to: [{ ip_block: { cidr: '192.0.2.10/32' } }], ports: [{ protocol: 'TCP', port: '443' }] }];
    const A_INGRESS = [{ from: [{ ip_block: { cidr: '192.0.2.10/32' } }], ports: [{ protocol: 'TCP', port: '443' }] }];
    const unknownPodCidrs = (stack: TerraformStack) => [new TerraformVariable(stack, 'pod_cidr', { type: 'string' }).stringValue];
    const cases: Array<[string, string, Port[], Parameters<typeof partnerEstate>[2], boolean]> = [
      ['a CIDR outside the pod CIDRs', '198.51.100.0/24', [Port.HTTPS], {}, false],
      ['ports the flow does not share (tcp/22)', '10.244.1.0/24', [Port.SSH], {}, false],
      ['pods with addresses of their own (10.50.0.0/24)', '10.244.1.0/24', [Port.HTTPS], { addresses: ['10.50.0.0/24'] }, false],
      ['a cluster whose pod CIDRs are known only at apply', '10.244.1.0/24', [Port.HTTPS], { podCidrs: unknownPodCidrs }, false],
      ['a GuardrailAllow that grants A and the partner tcp/443', '10.244.1.0/24', [Port.HTTPS], {}, true],
    ];
    const modes = [false, true].flatMap((cnp) => [true, false].map((outbound) => [cnp, outbound] as const));
    const table = cases.flatMap(([name, cidr, ports, options, grant]) => modes.map(([cnp, outbound]) => (
      [name, cnp, outbound, cidr, ports, options, grant] as const)));
    test.each(table)(
      'GIVEN %s (ClusterNetworkPolicy: %s, outbound: %s) WHEN the DenyFlow names it THEN the policies are those of the program without it',
      (_name, cnp, outbound, cidr, ports, options, grant) => {
        // GIVEN
        const declare = (e: ReturnType<typeof partnerEstate>) => {
          if (grant) new GuardrailAllow(e.stack, 'Grant', { from: outbound ? e.a : e.partner, to: outbound ? e.partner : e.a, ports: [Port.HTTPS] });
        };
        const without = partnerEstate(cnp, outbound, options);
        declare(without);
        const e = partnerEstate(cnp, outbound, options);
        declare(e);
        // WHEN
        denyPartner(e, outbound, cidr, [...ports]);
        // THEN
        const { networkPolicies, manifests } = policies(e.app);
        const rules = policyOf(networkPolicies, 'a').spec;
        expect(outbound ? rules.egress : rules.ingress).toContainEqual(outbound ? A_EGRESS[0] : A_INGRESS[0]);
        expect(networkPolicies).toEqual(policies(without.app).networkPolicies);
        expect(manifests).toEqual(policies(without.app).manifests);
      });

    test('GIVEN A -> Partner WHEN the DenyFlow forbids 10.244.1.0/24 -> another host THEN the policies are those of the program without it', () => {
      // GIVEN
      const without = partnerEstate(false, true);
      new Workload(without.stack, 'Other', { addresses: ['203.0.113.5'] });
      const e = partnerEstate(false, true);
      const other = new Workload(e.stack, 'Other', { addresses: ['203.0.113.5'] });
      // WHEN
      new DenyFlow(e.stack, 'NoNode1', { from: Peer.ipv4('10.244.1.0/24'), to: other, ports: [Port.HTTPS] });
      // THEN
      const { networkPolicies } = policies(e.app);
      expect(policyOf(networkPolicies, 'a').spec.egress).toEqual(A_EGRESS);
      expect(networkPolicies).toEqual(policies(without.app).networkPolicies);
    });
  });
});

describe('a DenyFlow between the pods of one workload (its replicas)', () => {
  function replicas(clusterNetworkPolicy: boolean) {
    const app = newApp();
    const stack = kubeEstate(app, 'k', { clusterNetworkPolicy });
    const batch = new Workload(stack, 'Batch', { binding: KubernetesBinding.pods('jobs', { app: 'batch' }), labels: { tier: 'db' } });
    new AllowFlow(stack, 'BatchInternal', { from: batch, to: batch, ports: [Port.tcp(5432)] });
    new DenyFlow(stack, 'NoBatchToBatch', { from: batch, to: batch });
    return { app, stack, batch };
  }

  test('GIVEN no ClusterNetworkPolicy WHEN a flow lets the pods of Batch reach each other and a DenyFlow forbids it THEN synthesis fails, as it does with two workloads', () => {
    const { app } = replicas(false);
    expect(synthError(app)).toContain("DenyFlow 'k/NoBatchToBatch' is overridden by AllowFlow 'k/BatchInternal', which allows tcp/5432 from workload 'k/Batch' to workload 'k/Batch' at workload 'k/Batch': cluster 'prod' has no ClusterNetworkPolicy");
  });

  test('GIVEN ClusterNetworkPolicy THEN its Admin Deny takes the pods of Batch at both ends and it synthesizes', () => {
    const { app, stack, batch } = replicas(true);
    const { manifests } = policies(app);
    const deny = manifests.find((m) => m.spec.tier === 'Admin' && m.spec.priority === 110);
    expect(deny.spec.egress).toEqual([expect.objectContaining({ action: 'Deny', to: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jobs' } }, podSelector: { matchLabels: { app: 'batch' } } } }] })]);
    expect(stack).toDenyFlow(batch, batch, Port.tcp(5432));
  });
});
