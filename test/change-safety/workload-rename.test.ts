import { AllowFlow, AzureBinding, AzureEnforcement, NsxEnforcement, Port, Segment, VsphereBinding, Workload } from '../../lib';
import { azureStack } from '../azure/azure-fixtures';
import { addressesOf, newApp, resourcesOf, synthApp } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

// A workload renamed or moved that keeps its stableId (its former construct path) keeps every
// resource the library renders for it, those created inside its own scope included (NSX VM tags,
// Azure ASG associations): destroying and creating them would drop its traffic while the apply runs.

/** An NSX estate: Web -> Db on 5432, the Db VM's workload declared under `dbVmId`. */
function nsxEstate(dbVmId: string, stableId?: string) {
  const app = newApp();
  const stack = nsxStack(app, 'dc');
  new NsxEnforcement(stack, 'Nsx');
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
  new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web-vm')), labels: { tier: 'web' } });
  new Workload(stack, dbVmId, { binding: VsphereBinding.virtualMachine(vm(stack, 'db-vm')), labels: { tier: 'db' }, ...(stableId ? { stableId } : {}) });
  new AllowFlow(stack, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
  return synthApp(app).dc;
}

/** An Azure estate: NIC workloads Web and Db (declared under `dbId`), Web -> Db on 5432. */
function azureEstate(dbId: string, stableId?: string) {
  const app = newApp();
  const az = azureStack(app, 'az');
  new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
  const web = new Workload(az.stack, 'Web', { binding: AzureBinding.networkInterface(az.nic('web-nic', '10.1.1.10')) });
  const db = new Workload(az.stack, dbId, { binding: AzureBinding.networkInterface(az.nic('db-nic', '10.1.1.20')), ...(stableId ? { stableId } : {}) });
  new AllowFlow(az.stack, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
  return synthApp(app).az;
}

describe('a workload renamed that keeps its stableId', () => {
  test('NSX: every resource keeps its address, the VM tags of the renamed workload included', () => {
    const before = nsxEstate('DbVm');
    const after = nsxEstate('DatabaseVm', 'dc/DbVm');
    expect(Object.keys(resourcesOf(before, 'nsxt_policy_vm_tags'))).toContain('DbVm_NsxTags_48D73FF5');
    expect(addressesOf(after)).toEqual(addressesOf(before));
    // the tags themselves are the same: the VM stays in its groups
    expect(resourcesOf(after, 'nsxt_policy_vm_tags').DbVm_NsxTags_48D73FF5.tag).toEqual(resourcesOf(before, 'nsxt_policy_vm_tags').DbVm_NsxTags_48D73FF5.tag);
  });

  test('NSX without a stableId: the renamed workload is another one, and its tags get a new address', () => {
    const before = nsxEstate('DbVm');
    const after = nsxEstate('DatabaseVm');
    const gone = addressesOf(before).filter((a) => !addressesOf(after).includes(a));
    expect(gone).toEqual(['nsxt_policy_vm_tags.DbVm_NsxTags_48D73FF5']);
  });

  test('Azure: every resource keeps its address, the ASG associations of the renamed NIC included', () => {
    const before = azureEstate('Db');
    const after = azureEstate('Database', 'az/Db');
    const associations = Object.keys(resourcesOf(before, 'azurerm_network_interface_application_security_group_association'));
    expect(associations.filter((name) => name.startsWith('Db_'))).toHaveLength(1);
    expect(addressesOf(after)).toEqual(addressesOf(before));
  });
});
