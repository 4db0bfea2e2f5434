import { AllowFlow, DenyFlow, GcpBinding, GuardrailAllow, Peer, Port, Workload } from '../../lib';
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

// A side that is anywhere has no members: the DenyFlow is enforced at the members of its other side
// (and, against hosts known only by their addresses, at every managed workload), never at a VM that
// merely lies in anywhere, where a GuardrailAllow of the other end could not win.
describe.each([false, true])('GCP, a DenyFlow with a side that is anywhere, hierarchical policy: %s', (folder) => {
  function jumpAndDb() {
    const app = newApp();
    const g = gcpEstate(app, 'g', folder ? { folder: 'folders/123' } : {});
    const jump = new Workload(g.stack, 'Jump', { binding: GcpBinding.instance(vm(g.stack, 'jump', { networkInterface: [{ network: 'vpc', subnetwork: 'app', networkIp: '10.0.0.5' }] })), addresses: ['10.0.0.5'] });
    const db = new Workload(g.stack, 'Db', { binding: GcpBinding.instance(vm(g.stack, 'db', { networkInterface: [{ network: 'vpc', subnetwork: 'app', networkIp: '10.0.0.20' }] })), addresses: ['10.0.0.20'] });
    return { app, g, jump, db };
  }

  test('GIVEN telnet to Db denied from anywhere and granted from 10.0.0.0/28 WHEN Jump (10.0.0.5) has a flow to Db THEN Jump reaches Db and an address outside the grant does not', () => {
    const { app, g, jump, db } = jumpAndDb();
    new AllowFlow(g.stack, 'JumpDb', { from: jump, to: db, ports: [Port.tcp(23)] });
    new AllowFlow(g.stack, 'AnyDb', { from: Peer.anyIpv4(), to: db, ports: [Port.tcp(23)] });
    new DenyFlow(g.stack, 'NoTelnet', { to: db, ports: [Port.tcp(23)] });
    new GuardrailAllow(g.stack, 'MgmtTelnet', { from: Peer.ipv4('10.0.0.0/28'), to: db, ports: [Port.tcp(23)] });
    const stacks = synthApp(app);
    expect(app).toAllowFlow(jump, db, Port.tcp(23));
    expect(app).toDenyFlow('203.0.113.7', db, Port.tcp(23));
    // no egress deny at Jump (or any managed VM): Jump is no member of the DenyFlow's side
    const type = folder ? 'google_compute_firewall_policy_rule' : 'google_compute_network_firewall_policy_rule';
    expect(Object.values<any>(resourcesOf(stacks.g, type)).filter((r) => r.action === 'deny' && r.direction === 'EGRESS' && r.priority < 3000 && r.match.dest_ip_ranges?.includes('10.0.0.20/32'))).toEqual([]);
  });

  test('GIVEN a host known only by its address WHEN a DenyFlow forbids anywhere -> it THEN every managed VM is denied at its egress', () => {
    const { app, g, jump, db } = jumpAndDb();
    const legacy = new Workload(g.stack, 'Legacy', { addresses: ['10.9.0.7'] });
    new AllowFlow(g.stack, 'JumpLegacy', { from: jump, to: legacy, ports: [Port.SSH] });
    new AllowFlow(g.stack, 'DbLegacy', { from: db, to: legacy, ports: [Port.SSH] });
    new DenyFlow(g.stack, 'NoLegacy', { to: legacy, ports: [Port.SSH] });
    synthApp(app);
    expect(app).toDenyFlow(jump, legacy, Port.SSH);
    expect(app).toDenyFlow(db, legacy, Port.SSH);
  });
});
