import { AllowFlow, AwsBinding, AwsEnforcement, AzureBinding, AzureEnforcement, NsxEnforcement, Port, Segment, VsphereBinding, Workload } from '../../lib';
import { azureStack } from '../azure/azure-fixtures';
import { addressesOf, awsStack, errorOf, instance, newApp, resourcesOf, synthApp } from '../helpers';
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

describe('a flow a helper declares names its other end by identity', () => {
  /** AWS: instance workload Web (declared under `webId`) and segment Api, with api.allowFrom(web). */
  function awsEstate(webId: string, stableId?: string) {
    const app = newApp();
    const stack = awsStack(app, 'aws');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-1' });
    const web = new Workload(stack, webId, { binding: AwsBinding.instance(instance(stack, 'web-vm')), ...(stableId ? { stableId } : {}) });
    const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
    new Workload(stack, 'ApiVm', { binding: AwsBinding.instance(instance(stack, 'api-vm')), labels: { tier: 'api' } });
    api.allowFrom(web, Port.HTTPS);
    return synthApp(app).aws;
  }

  test('GIVEN api.allowFrom(web) WHEN Web is renamed keeping its stableId THEN no security group rule changes address', () => {
    const before = awsEstate('Web');
    const after = awsEstate('Frontend', 'aws/Web');
    expect(Object.keys(resourcesOf(before, 'aws_vpc_security_group_ingress_rule'))).toHaveLength(1);
    expect(addressesOf(after)).toEqual(addressesOf(before));
  });
});

describe('one identity is one workload', () => {
  test('a new workload at the path a renamed one keeps as its stableId fails at once, naming both', () => {
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx');
    new Workload(stack, 'DatabaseVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'db-vm')), stableId: 'dc/DbVm' });
    expect(() => new Workload(stack, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'new-vm')) }))
      .toThrow("Workload 'dc/DbVm' has the identity \"dc/DbVm\" of workload 'dc/DatabaseVm'. One identity is one workload: give one of them a stableId of its own (a workload renamed with its stableId keeps its former path as its identity, so a new workload at that path needs another one).");
  });

  test('two segments of one stableId fail at once', () => {
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new Segment(stack, 'Db', { selector: { tier: 'db' }, stableId: 'db' });
    expect(() => new Segment(stack, 'Database', { selector: { tier: 'database' }, stableId: 'db' }))
      .toThrow("Segment 'dc/Database' has the identity \"db\" of segment 'dc/Db'. One identity is one segment: give one of them a stableId of its own.");
  });

  test('a plain-name stableId that reads as another workload\'s path in the stack fails synthesis: their VM tags would share an address', () => {
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx');
    new Workload(stack, 'Payments', { binding: VsphereBinding.virtualMachine(vm(stack, 'pay-vm')), stableId: 'payments-db' });
    new Workload(stack, 'payments-db', { binding: VsphereBinding.virtualMachine(vm(stack, 'other-vm')) });
    expect(errorOf(() => synthApp(app))).toContain("Workload 'dc/payments-db' has the identity \"dc/payments-db\", which names its resources in stack 'dc' as the identity \"payments-db\" of workload 'dc/Payments' does. Give one of them another stableId.");
  });
});
