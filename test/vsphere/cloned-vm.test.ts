import { DataVsphereContentLibrary } from '@cdktf/provider-vsphere/lib/data-vsphere-content-library';
import { DataVsphereContentLibraryItem } from '@cdktf/provider-vsphere/lib/data-vsphere-content-library-item';
import { VirtualMachine } from '@cdktf/provider-vsphere/lib/virtual-machine';
import { TerraformStack } from 'cdktf';
import { NsxEnforcement, Port, Segment, VsphereBinding, Workload } from '../../lib';
import '../../lib/verify/jest';
import { newApp, synthApp } from '../helpers';
import { nsxStack } from './nsx-fixtures';

const TEMPLATE_UUID = '4215a7c1-7c5b-3e0e-ad2c-1c3f8b1d9e77';

/** A VM cloned from a template (or from a content library item, when `templateUuid` is the item's id). */
function clonedVm(stack: TerraformStack, id: string, templateUuid: string): VirtualMachine {
  return new VirtualMachine(stack, id, {
    name: id,
    resourcePoolId: 'resgroup-1',
    datastoreId: 'datastore-1',
    numCpus: 2,
    memory: 2048,
    networkInterface: [{ networkId: 'network-1' }],
    disk: [{ label: 'disk0', size: 40 }],
    clone: { templateUuid, linkedClone: false },
  });
}

describe('vSphere VMs cloned from a template or created from a content library item are workloads like any VM', () => {
  const app = newApp();
  const dc = nsxStack(app, 'dc');
  new NsxEnforcement(dc, 'Nsx');
  const library = new DataVsphereContentLibrary(dc, 'Library', { name: 'golden-images' });
  const item = new DataVsphereContentLibraryItem(dc, 'AppImage', { libraryId: library.id, name: 'app-2026.11', type: 'ovf' });
  const web = new Segment(dc, 'Web', { selector: { tier: 'web' } });
  const appTier = new Segment(dc, 'App', { selector: { tier: 'app' } });
  appTier.allowFrom(web, Port.tcp(8080));
  const webVm = new Workload(dc, 'WebVm', { binding: VsphereBinding.virtualMachine(clonedVm(dc, 'web', TEMPLATE_UUID)), labels: { tier: 'web' }, addresses: ['10.2.0.10'] });
  const appVm = new Workload(dc, 'AppVm', { binding: VsphereBinding.virtualMachine(clonedVm(dc, 'app', item.id)), labels: { tier: 'app' }, addresses: ['10.2.0.20'] });
  const json = synthApp(app).dc.json;

  test('THEN the clone blocks are left as written and each VM gets its NSX tags by its id', () => {
    expect(json.resource.vsphere_virtual_machine.web.clone).toEqual({ template_uuid: TEMPLATE_UUID, linked_clone: false });
    expect(json.resource.vsphere_virtual_machine.app.clone).toEqual({ template_uuid: '${data.vsphere_content_library_item.AppImage.id}', linked_clone: false });
    const tagged = Object.values<any>(json.resource.nsxt_policy_vm_tags).map((tags) => tags.instance_id).sort();
    expect(tagged).toEqual(['${vsphere_virtual_machine.app.id}', '${vsphere_virtual_machine.web.id}']);
  });

  test('THEN the evaluator allows Web to App on 8080 only, one way', () => {
    expect(json).toAllowFlow(webVm, appVm, Port.tcp(8080));
    expect(json).toDenyFlow(webVm, appVm, Port.SSH);
    expect(json).toDenyFlow(appVm, webVm, Port.tcp(8080));
  });
});
