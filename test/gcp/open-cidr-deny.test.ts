import { AllowFlow, DenyFlow, GcpBinding, Peer, Port, Workload } from '../../lib';
import '../../lib/verify/jest';
import { newApp, resourcesOf, synthApp } from '../helpers';
import { gcpEstate, vm } from './gcp-fixtures';

// A DenyFlow between a host known only by its addresses and a CIDR is enforced at every managed
// workload lying in the CIDR, as on every platform (denyEnforcedAt): a deny rule at the managed
// workloads, from the host's addresses, limited to the CIDR as their own.

function estate(folder: boolean) {
  const app = newApp();
  const g = gcpEstate(app, 'g', folder ? { folder: 'folders/123' } : {});
  const db = new Workload(g.stack, 'Db', { binding: GcpBinding.instance(vm(g.stack, 'db', { networkInterface: [{ network: 'vpc', subnetwork: 'app', networkIp: '10.20.0.5' }] })), addresses: ['10.20.0.5'] });
  const other = new Workload(g.stack, 'Other', { binding: GcpBinding.instance(vm(g.stack, 'other', { networkInterface: [{ network: 'vpc', subnetwork: 'app', networkIp: '10.30.0.5' }] })), addresses: ['10.30.0.5'] });
  const neighbor = new Workload(g.stack, 'Neighbor', { addresses: ['10.0.4.50'] });
  new AllowFlow(g.stack, 'AnyDb', { from: Peer.anyIpv4(), to: db, ports: [Port.SSH] });
  new AllowFlow(g.stack, 'AnyOther', { from: Peer.anyIpv4(), to: other, ports: [Port.SSH] });
  new DenyFlow(g.stack, 'NoNeighbor', { from: neighbor, to: Peer.ipv4('10.20.0.0/24'), ports: [Port.SSH] });
  return { app, db, other, neighbor };
}

describe.each([false, true])('GCP, hierarchical policy: %s', (folder) => {
  test('GIVEN any -> Db allowed WHEN a DenyFlow forbids Neighbor -> 10.20.0.0/24 THEN Neighbor cannot reach Db, but still reaches Other outside the CIDR', () => {
    const e = estate(folder);
    const stacks = synthApp(e.app);
    expect(e.app).toDenyFlow(e.neighbor, e.db, Port.SSH);
    expect(e.app).toAllowFlow(e.neighbor, e.other, Port.SSH);
    expect(e.app).toAllowFlow('203.0.113.7', e.db, Port.SSH);
    const type = folder ? 'google_compute_firewall_policy_rule' : 'google_compute_network_firewall_policy_rule';
    const denies = Object.values<any>(resourcesOf(stacks.g, type)).filter((r) => r.action === 'deny' && r.match.src_ip_ranges?.includes('10.0.4.50/32'));
    expect(denies.map((r) => [r.direction, r.match.src_ip_ranges, r.match.dest_ip_ranges])).toEqual([['INGRESS', ['10.0.4.50/32'], ['10.20.0.0/24']]]);
  });
});
