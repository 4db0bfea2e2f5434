import { AllowFlow, DenyFlow, Peer, Port, Segment, Workload } from '../../lib';
import '../../lib/verify/jest';
import { errorOf, newApp, resourcesOf, synthApp } from '../helpers';
import { kubeEstate, podWorkload } from './k8s-fixtures';

// A DenyFlow to a host known only by its addresses, from anywhere (or a CIDR), is enforced at every
// managed workload of that side, as on every platform: pods get an Admin Deny at their egress to
// the host's addresses. At ingress ClusterNetworkPolicy cannot name addresses, so the reverse
// direction still fails where a flow would let the host in.

function estate(clusterNetworkPolicy = true) {
  const app = newApp();
  const cluster = kubeEstate(app, 'k', { clusterNetworkPolicy });
  const web = podWorkload(cluster, 'shop', 'web');
  const neighbor = new Workload(cluster, 'Neighbor', { addresses: ['10.0.4.50'] });
  return { app, cluster, web, neighbor };
}

test('GIVEN pods allowed to anywhere WHEN a DenyFlow forbids everyone to reach a host known by address THEN an Admin Deny stops the pods\' egress to it', () => {
  // GIVEN
  const e = estate();
  new AllowFlow(e.cluster, 'WebOut', { from: e.web, to: Peer.anyIpv4(), ports: [Port.SSH] });
  // WHEN
  new DenyFlow(e.cluster, 'NoNeighbor', { to: e.neighbor, ports: [Port.SSH] });
  // THEN
  const stack = synthApp(e.app).k;
  expect(e.app).toDenyFlow(e.web, e.neighbor, Port.SSH);
  expect(e.app).toAllowFlow(e.web, '10.0.4.51', Port.SSH);
  const policies = Object.values<any>(resourcesOf(stack, 'kubernetes_manifest'))
    .filter((r) => r.manifest?.kind === 'ClusterNetworkPolicy' && JSON.stringify(r.manifest).includes('10.0.4.50/32'));
  expect(policies.map((r) => r.manifest.spec.egress.map((rule: any) => [rule.action, rule.to]))).toEqual([[['Deny', [{ networks: ['10.0.4.50/32'] }]]]]);
});

test('a DenyFlow from a CIDR holds at the pods inside it only', () => {
  const e = estate();
  const other = kubeEstate(e.app, 'k2', { clusterName: 'other', podCidrs: ['10.245.0.0/16'] });
  const api = podWorkload(other, 'shop', 'api');
  new AllowFlow(e.cluster, 'WebOut', { from: e.web, to: Peer.anyIpv4(), ports: [Port.SSH] });
  new AllowFlow(other, 'ApiOut', { from: api, to: Peer.anyIpv4(), ports: [Port.SSH] });
  new DenyFlow(e.cluster, 'NoNeighbor', { from: Peer.ipv4('10.244.0.0/16'), to: e.neighbor, ports: [Port.SSH] });
  synthApp(e.app);
  expect(e.app).toDenyFlow(e.web, e.neighbor, Port.SSH);
  expect(e.app).toAllowFlow(api, e.neighbor, Port.SSH);
});

test('without ClusterNetworkPolicy nothing can deny it: the egress fails synthesis, naming the reason', () => {
  const e = estate(false);
  new AllowFlow(e.cluster, 'WebOut', { from: e.web, to: Peer.anyIpv4(), ports: [Port.SSH] });
  new DenyFlow(e.cluster, 'NoNeighbor', { to: e.neighbor, ports: [Port.SSH] });
  expect(errorOf(() => synthApp(e.app))).toContain("DenyFlow 'k/NoNeighbor' is overridden by AllowFlow 'k/WebOut', which allows tcp/22 from workload 'k/WebPods' to workload 'k/Neighbor' at workload 'k/WebPods': cluster 'prod' has no ClusterNetworkPolicy");
});

test('whatever the order of declaration: the DenyFlow first, then the host, then the pods', () => {
  const app = newApp();
  const cluster = kubeEstate(app, 'k');
  const hosts = new Segment(cluster, 'Hosts', { selector: { role: 'legacy' } });
  new DenyFlow(cluster, 'NoLegacy', { to: hosts, ports: [Port.SSH] });
  const neighbor = new Workload(cluster, 'Neighbor', { addresses: ['10.0.4.50'], labels: { role: 'legacy' } });
  const web = podWorkload(cluster, 'shop', 'web');
  new AllowFlow(cluster, 'WebOut', { from: web, to: Peer.anyIpv4(), ports: [Port.SSH] });
  synthApp(app);
  expect(app).toDenyFlow(web, neighbor, Port.SSH);
});
