import { nsxStack, one, vm } from './nsx-fixtures';
import { NsxEnforcement, Peer, Port, Segment, Workload, VsphereBinding } from '../../lib';
import { PolicyRegistry } from '../../lib/registry';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { NsxtPolicyVmTags } from '../../lib/vsphere/nsx/policy-vm-tags';
import { errorOf, newApp, synthApp } from '../helpers';
import { callsDuring } from '../performance/calls-during';

// nsxt_policy_vm_tags writes a VM's complete NSX tag set (issue 11, item 20): tags other tools set
// are removed unless the program keeps them with NsxEnforcement.keepVmTags.

function estate() {
  const app = newApp();
  const stack = nsxStack(app, 'dc');
  const nsx = new NsxEnforcement(stack, 'Nsx', { vsphereTags: false });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const workload = new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web')), labels: { tier: 'web' } });
  web.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.HTTPS);
  return { app, stack, nsx, web, workload };
}

/** Whether the synthesized app lets `from` reach the estate's VM on `port`, as the evaluator reads its Terraform. */
function reachesVm(out: ReturnType<typeof synthApp>, from: string, port: string): boolean {
  return evaluate(loadTerraformStacks({ dc: out.dc.json }), { from, to: 'dc/WebVm', port }).allowed;
}

describe('NSX tags of other tools', () => {
  test('without keepVmTags, the VM\'s tag set is exactly what microseg writes', () => {
    const { app } = estate();
    expect(one(synthApp(app).dc, 'nsxt_policy_vm_tags', 'WebVm').tag).toEqual([
      { scope: 'microseg', tag: 'dc/Web' },
      { scope: 'microseg', tag: 'managed:dc:Nsx' },
      { scope: 'tier', tag: 'web' },
    ]);
  });

  test('kept tags are written after microseg\'s own, sorted and without duplicates, and change no verdict', () => {
    // GIVEN a backup tag and a scanner tag kept, the scanner tag twice
    const { app, nsx, workload } = estate();
    nsx.keepVmTags(workload, [{ scope: 'scanner', tag: 'weekly' }]);
    nsx.keepVmTags(workload, [{ scope: 'backup', tag: 'gold' }, { scope: 'scanner', tag: 'weekly' }]);

    // WHEN
    const out = synthApp(app);

    // THEN
    expect(one(out.dc, 'nsxt_policy_vm_tags', 'WebVm').tag).toEqual([
      { scope: 'microseg', tag: 'dc/Web' },
      { scope: 'microseg', tag: 'managed:dc:Nsx' },
      { scope: 'tier', tag: 'web' },
      { scope: 'backup', tag: 'gold' },
      { scope: 'scanner', tag: 'weekly' },
    ]);
    expect(reachesVm(out, '192.0.2.5', 'tcp/443')).toBe(true);
    expect(reachesVm(out, '192.0.2.5', 'tcp/22')).toBe(false);
  });

  test('a kept tag in an enforcement\'s tag scope is a synth error (it could forge segment membership)', () => {
    const { app, nsx, workload } = estate();
    nsx.keepVmTags(workload, [{ scope: 'MICROSEG', tag: 'dc/Db' }]);
    expect(errorOf(() => synthApp(app))).toContain('NsxEnforcement \'dc/Nsx\': keepVmTags(Workload \'dc/WebVm\'): the tag "MICROSEG"|"dc/Db" has the scope of an NSX enforcement\'s segment tags, so it could make the VM a segment member.');
  });

  test('kept tags count towards maxTagsPerVm', () => {
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    const nsx = new NsxEnforcement(stack, 'Nsx', { vsphereTags: false, maxTagsPerVm: 3 });
    const workload = new Workload(stack, 'Vm', { binding: VsphereBinding.virtualMachine(vm(stack, 'v')), labels: { tier: 'web' } });
    nsx.keepVmTags(workload, [{ scope: 'backup', tag: 'gold' }, { scope: 'owner', tag: 'ops' }]);
    expect(errorOf(() => synthApp(app))).toContain("Workload 'dc/Vm' would carry 4 NSX tags (1 labels, the managed tag, 2 kept by keepVmTags and 0 segments: ); NSX allows 3 per VM.");
  });

  test('a workload of another stack is a synth error naming the enforcement to use', () => {
    const { app, nsx } = estate();
    const other = nsxStack(app, 'other');
    new NsxEnforcement(other, 'Nsx', { vsphereTags: false });
    const foreign = new Workload(other, 'Vm', { binding: VsphereBinding.virtualMachine(vm(other, 'o')) });
    nsx.keepVmTags(foreign, [{ scope: 'backup', tag: 'gold' }]);
    expect(errorOf(() => synthApp(app))).toContain("NsxEnforcement 'dc/Nsx': keepVmTags(Workload 'other/Vm'): the workload is not a vSphere VM of this enforcement's stack");
  });

  test('a VM in several segments has its tag set written once, with every segment and its vSphere tags', () => {
    // GIVEN a VM that three segments select, the vSphere tags mirrored (the default)
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx');
    const workload = new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web')), labels: { tier: 'web', env: 'prod' } });
    for (const [id, selector] of [['Web', { tier: 'web' }], ['Prod', { env: 'prod' }], ['ProdWeb', { tier: 'web', env: 'prod' }]] as const) {
      new Segment(stack, id, { selector }).allowFrom(Peer.ipv4('192.0.2.0/24'), Port.HTTPS);
    }

    // WHEN
    let out: ReturnType<typeof synthApp> | undefined;
    const writes = callsDuring(() => jest.spyOn(NsxtPolicyVmTags.prototype, 'putTag'), () => {
      out = synthApp(app);
    });

    // THEN one write, holding every segment
    expect(writes).toBe(1);
    expect(one(out!.dc, 'nsxt_policy_vm_tags', 'WebVm').tag).toEqual([
      { scope: 'env', tag: 'prod' },
      { scope: 'microseg', tag: 'dc/Prod' },
      { scope: 'microseg', tag: 'dc/ProdWeb' },
      { scope: 'microseg', tag: 'dc/Web' },
      { scope: 'microseg', tag: 'managed:dc:Nsx' },
      { scope: 'tier', tag: 'web' },
    ]);
    // and the VM carries one vSphere tag per NSX tag
    expect(Object.keys(out!.dc.json.resource.vsphere_tag)).toHaveLength(6);
    expect(one(out!.dc, 'vsphere_virtual_machine', 'web').tags).toHaveLength(6);
    expect(workload.segments.map((s) => s.node.id)).toEqual(['Prod', 'ProdWeb', 'Web']);
    // and the segments' flow reaches the VM through those tags, nothing else does
    expect(reachesVm(out!, '192.0.2.5', 'tcp/443')).toBe(true);
    expect(reachesVm(out!, '192.0.2.5', 'tcp/22')).toBe(false);
    expect(reachesVm(out!, '198.51.100.5', 'tcp/443')).toBe(false);
  });

  test('a segment declared after the app was rendered is written into the VM\'s tag set, and its flow reaches the VM', () => {
    // GIVEN the estate rendered, the VM in one segment
    const { app, stack } = estate();
    PolicyRegistry.of(stack).ensureRendered();

    // WHEN a second segment selecting the VM, with a flow of its own, is declared afterwards
    new Segment(stack, 'Admin', { selector: { tier: 'web' } }).allowFrom(Peer.ipv4('203.0.113.0/24'), Port.SSH);
    const out = synthApp(app);

    // THEN the tag set holds both segments
    expect(one(out.dc, 'nsxt_policy_vm_tags', 'WebVm').tag).toEqual([
      { scope: 'microseg', tag: 'dc/Admin' },
      { scope: 'microseg', tag: 'dc/Web' },
      { scope: 'microseg', tag: 'managed:dc:Nsx' },
      { scope: 'tier', tag: 'web' },
    ]);
    // and each segment's flow reaches the VM on its own port only
    expect(reachesVm(out, '203.0.113.5', 'tcp/22')).toBe(true);
    expect(reachesVm(out, '203.0.113.5', 'tcp/443')).toBe(false);
    expect(reachesVm(out, '192.0.2.5', 'tcp/443')).toBe(true);
    expect(reachesVm(out, '192.0.2.5', 'tcp/22')).toBe(false);
  });
});
