import { App } from 'cdktf';
import { vsphereNsx } from '../../examples/vsphere-nsx/main';
import { AwsEnforcement, NsxEnforcement, nsxt, Peer, Port, Segment, Workload, AwsBinding, VsphereBinding } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { awsStack, instance, newApp, synthApp } from '../helpers';
import { nsxStack, vm } from './nsx-fixtures';

/** The evaluator's verdict (lib/verify) on the synthesized app, with its NSX semantics. */
function verdicts(app: App) {
  const out = synthApp(app);
  const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, stack]) => [name, stack.json])));
  return (from: string, to: string, port: string) => evaluate(model, { from, to, port });
}

describe('NSX reachability through the evaluator (lib/verify)', () => {
  const check = (() => {
    const app = newApp();
    vsphereNsx(app);
    return verdicts(app);
  })();

  test.each([
    ['203.0.113.9', 'vsphere-nsx/Web', 'tcp/443'],
    ['vsphere-nsx/web-workload', 'vsphere-nsx/app-workload', 'tcp/8080'],
    ['vsphere-nsx/App', 'vsphere-nsx/Db', 'tcp/5432'],
    ['198.51.100.9', 'vsphere-nsx/db-workload', 'tcp/22'],
    ['198.51.100.9', 'vsphere-nsx/Managed', 'tcp/22'],
  ])('declared flow %s -> %s %s is allowed at every vNIC', (from, to, port) => {
    const verdict = check(from, to, port);
    expect(verdict.allowed).toBe(true);
  });

  test.each([
    ['vsphere-nsx/web-workload', 'vsphere-nsx/db-workload', 'tcp/5432'], // skipping a tier
    ['vsphere-nsx/Db', 'vsphere-nsx/App', 'tcp/8080'], // the reverse direction
    ['203.0.113.9', 'vsphere-nsx/db-workload', 'tcp/22'], // SSH from outside the admin network
    ['203.0.113.9', 'vsphere-nsx/App', 'tcp/8080'], // the internet to an inner tier
    ['vsphere-nsx/Db', '203.0.113.9', 'tcp/443'], // egress to the internet
    ['vsphere-nsx/Web', 'vsphere-nsx/App', 'udp/8080'], // another protocol
  ])('undeclared flow %s -> %s %s is dropped by the policy, not left to the default rule', (from, to, port) => {
    const verdict = check(from, to, port);
    expect(verdict.allowed).toBe(false);
    expect(verdict.denied).toBe(true);
    const deciding = verdict.layers.filter((l) => !l.allowed).flatMap((l) => l.decidingRules.map((r) => r.address));
    expect(deciding.length).toBeGreaterThan(0);
    for (const address of deciding) expect(address).toMatch(/^nsxt_policy_security_policy_rule\.Nsx_DefaultDeny(In|Out)_/);
  });

  test('a flow from AWS instances to a vSphere segment is allowed on both platforms, and only that flow', () => {
    // GIVEN
    const app = newApp();
    const dc = nsxStack(app, 'dc');
    new NsxEnforcement(dc, 'Nsx');
    const db = new Segment(dc, 'Db', { selector: { tier: 'db' } });
    new Workload(dc, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(dc, 'db')), labels: { tier: 'db' }, addresses: ['10.1.0.10'] });
    const cloud = awsStack(app, 'cloud');
    new nsxt.NsxtProvider(cloud, 'nsxt', { host: 'nsx.example', username: 'u', password: 'p' }); // the flow's NSX rule lives here too
    new AwsEnforcement(cloud, 'Aws', { vpcId: 'vpc-0123' });
    const api = new Segment(cloud, 'Api', { selector: { tier: 'api' } });
    new Workload(cloud, 'ApiVm', { binding: AwsBinding.instance(instance(cloud, 'api', { privateIp: '10.0.2.10' })), labels: { tier: 'api' }, addresses: ['10.0.2.10'] });
    api.allowTo(db, Port.POSTGRES); // declared in the AWS stack: its AWS and NSX rules live there

    // WHEN
    const check2 = verdicts(app);

    // THEN
    expect(check2('cloud/ApiVm', 'dc/DbVm', 'tcp/5432').allowed).toBe(true);
    expect(check2('cloud/ApiVm', 'dc/DbVm', 'tcp/22').allowed).toBe(false);
    expect(check2('dc/DbVm', 'cloud/ApiVm', 'tcp/5432').allowed).toBe(false);
  });
});

describe('NSX VMs asked about by address', () => {
  test('a VM\'s own literal address stands for the VM: the distributed firewall decides', () => {
    // GIVEN a database VM known by a literal address, open to a partner range on PostgreSQL only
    const app = newApp();
    const dc = nsxStack(app, 'dc');
    new NsxEnforcement(dc, 'Nsx');
    const db = new Segment(dc, 'Db', { selector: { tier: 'db' } });
    new Workload(dc, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(dc, 'db')), labels: { tier: 'db' }, addresses: ['10.1.0.10'] });
    db.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.POSTGRES);
    const check = verdicts(app);
    // WHEN asked by its address THEN the VM's rules decide, as when asked by its name
    const allowed = check('192.0.2.7', '10.1.0.10', 'tcp/5432');
    expect(allowed.allowed).toBe(true);
    expect(allowed.layers.filter((layer) => layer.layer === 'nsx-dfw' && layer.status !== 'skipped').map((layer) => layer.point)).toEqual(['IN at vNIC of 10.1.0.10']);
    const ssh = check('192.0.2.7', '10.1.0.10', 'tcp/22');
    expect(ssh.denied).toBe(true);
    expect(ssh.layers.flatMap((layer) => layer.decidingRules.map((rule) => rule.address))).toEqual([expect.stringMatching(/^nsxt_policy_security_policy_rule\.Nsx_DefaultDenyIn_/)]);
    expect(check('192.0.2.7', 'dc/DbVm', 'tcp/22').denied).toBe(true);
    // AND an address no VM has is only an address
    expect(check('192.0.2.7', '10.1.0.11', 'tcp/22').layers.some((layer) => layer.layer === 'nsx-dfw' && layer.status !== 'skipped')).toBe(false);
  });
});
