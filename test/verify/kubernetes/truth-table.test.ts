import { CLUSTER, CLUSTER_NETWORK_POLICY_CASES, NAMESPACES, NETWORK_POLICY_CASES, PODS, Probe, TruthTableCase } from './truth-table-cases';
import { KubeClusterView, KubeEndpoint } from '../../../lib/verify/platforms/kubernetes/kube-policy-model';
import { NAMESPACE_NAME_LABEL, evaluateConnection } from '../../../lib/verify/platforms/kubernetes/kube-semantics';
import { KubeTraffic, kubeCovers, kubeIsEmpty, kubePorts } from '../../../lib/verify/platforms/kubernetes/kube-traffic';

/** The nine pods of the conformance layout, in matrix order. */
const ENDPOINTS: ReadonlyArray<{ name: string; endpoint: KubeEndpoint }> = NAMESPACES.flatMap((namespace, n) => PODS.map((pod, p) => ({
  name: `${namespace}/${pod}`,
  endpoint: {
    pod: {
      cluster: CLUSTER,
      namespace,
      labels: { pod },
      namedPorts: Object.fromEntries((['tcp', 'udp', 'sctp'] as const).flatMap((protocol) => [80, 81].map((port) => [`serve-${port}-${protocol}`, { protocol, port }]))),
    },
    ranges: [`10.1.${n + 1}.${p + 1}/32`],
  },
})));

function viewOf(testCase: TruthTableCase): KubeClusterView {
  return {
    networkPolicies: testCase.networkPolicies,
    clusterPolicies: testCase.clusterPolicies ?? [],
    namespaceLabels: (_cluster, namespace) => ({ ns: namespace, [NAMESPACE_NAME_LABEL]: namespace }),
  };
}

function probeTraffic(probe: Probe): KubeTraffic {
  const [protocol, port] = probe.port.split('/');
  return kubePorts(protocol as 'tcp' | 'udp' | 'sctp', Number(port));
}

/** The evaluator's matrix for a probe, in the cases' notation. */
function actualMatrix(testCase: TruthTableCase, probe: Probe): string[] {
  const view = viewOf(testCase);
  const query = probeTraffic(probe);
  return ENDPOINTS.map((from) => [0, 3, 6].map((start) => ENDPOINTS.slice(start, start + 3).map((to) => {
    const allowed = evaluateConnection(view, from.endpoint, to.endpoint, query).allowed;
    return kubeCovers(allowed, query) ? 'X' : kubeIsEmpty(allowed) ? '.' : '?';
  }).join('')).join(' '));
}

describe('Kubernetes semantics against the conformance truth table', () => {
  test('GIVEN the rebuilt suite THEN it has at least thirty NetworkPolicy cases and the ClusterNetworkPolicy tier cases, each with full 9x9 matrices', () => {
    expect(NETWORK_POLICY_CASES.length).toBeGreaterThanOrEqual(30);
    expect(CLUSTER_NETWORK_POLICY_CASES.length).toBeGreaterThanOrEqual(8);
    for (const testCase of [...NETWORK_POLICY_CASES, ...CLUSTER_NETWORK_POLICY_CASES]) {
      expect(testCase.probes.length).toBeGreaterThan(0);
      for (const probe of testCase.probes) {
        expect(probe.matrix).toHaveLength(9);
        for (const row of probe.matrix) expect(row).toMatch(/^[X.]{3} [X.]{3} [X.]{3}$/);
      }
    }
  });

  describe.each(NETWORK_POLICY_CASES.map((c) => [c.name, c] as const))('NetworkPolicy: %s', (_name, testCase) => {
    test.each(testCase.probes.map((p) => [p.port, p] as const))('WHEN every pod probes every pod on %s THEN the matrix is the expected one', (_port, probe) => {
      expect(actualMatrix(testCase, probe)).toEqual(probe.matrix);
    });
  });

  describe.each(CLUSTER_NETWORK_POLICY_CASES.map((c) => [c.name, c] as const))('ClusterNetworkPolicy: %s', (_name, testCase) => {
    test.each(testCase.probes.map((p) => [p.port, p] as const))('WHEN every pod probes every pod on %s THEN the matrix is the expected one', (_port, probe) => {
      expect(actualMatrix(testCase, probe)).toEqual(probe.matrix);
    });
  });
});
