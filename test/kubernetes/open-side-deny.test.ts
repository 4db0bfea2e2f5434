import { AllowFlow, DenyFlow, Peer, Port, Workload } from '../../lib';
import { errorOf, newApp, synthApp } from '../helpers';
import { kubeEstate, podWorkload } from './k8s-fixtures';

// A DenyFlow to a host known only by its addresses is enforced at every managed workload (the other
// side is anywhere). Pods that are not a member of its side get no Admin Deny, so an egress that
// lets them reach the host fails synthesis, and says why and what to do.

test('GIVEN pods allowed to anywhere WHEN a DenyFlow forbids everyone to reach a host known by address THEN the error names the pods\' egress, not ingress', () => {
  const app = newApp();
  const cluster = kubeEstate(app, 'k');
  const web = podWorkload(cluster, 'shop', 'web');
  const neighbor = new Workload(cluster, 'Neighbor', { addresses: ['10.0.4.50'] });
  new AllowFlow(cluster, 'WebOut', { from: web, to: Peer.anyIpv4(), ports: [Port.SSH] });
  new DenyFlow(cluster, 'NoNeighbor', { to: neighbor, ports: [Port.SSH] });
  expect(errorOf(() => synthApp(app))).toContain("DenyFlow 'k/NoNeighbor' is overridden by AllowFlow 'k/WebOut', which allows tcp/22 from workload 'k/WebPods' to workload 'k/Neighbor' at workload 'k/WebPods': the pods are not a member of the DenyFlow's side, and its ClusterNetworkPolicy Admin Deny selects the pods of its own sides only. Name the pods in the DenyFlow's side to deny their egress there.");
});
