import { AwsEnforcement, NsxEnforcement, Peer, Port, Segment, Workload, AwsBinding, VsphereBinding } from '../../lib';
import '../../lib/verify/jest';
import { awsStack, instance, newApp } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

// Review finding: on NSX a flow with a CIDR peer on one side rendered an IN_OUT rule scoped to the
// segment, so a member of the segment whose address lies inside the CIDR matched the rule at its
// own vNIC as the *source*: web VMs could open HTTPS to each other because the segment accepts
// HTTPS from Peer.anyIpv4(). Intent (and AWS, Azure) allow only the peer outside the model to
// initiate; a Peer rule must apply only on the segment's side (IN for ingress, OUT for egress).

function estate() {
  const app = newApp();
  const nsx = nsxStack(app, 'nsx');
  new NsxEnforcement(nsx, 'Nsx');
  const web = new Segment(nsx, 'Web', { selector: { tier: 'web' } });
  const app1 = new Segment(nsx, 'App', { selector: { tier: 'app' } });
  web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
  app1.allowTo(Peer.ipv4('10.9.0.0/16'), Port.tcp(9000));
  new Workload(nsx, 'web1', { binding: VsphereBinding.virtualMachine(vm(nsx, 'web1-vm')), labels: { tier: 'web' }, addresses: ['10.9.0.1'] });
  new Workload(nsx, 'web2', { binding: VsphereBinding.virtualMachine(vm(nsx, 'web2-vm')), labels: { tier: 'web' }, addresses: ['10.9.0.2'] });
  new Workload(nsx, 'app1', { binding: VsphereBinding.virtualMachine(vm(nsx, 'app1-vm')), labels: { tier: 'app' }, addresses: ['10.9.1.1'] });
  new Workload(nsx, 'app2', { binding: VsphereBinding.virtualMachine(vm(nsx, 'app2-vm')), labels: { tier: 'app' }, addresses: ['10.9.1.2'] });
  return nsx;
}

describe('NSX: a CIDR peer does not let members of the segment reach each other', () => {
  test('the declared flows still work', () => {
    const nsx = estate();
    expect(nsx).toAllowFlow('203.0.113.5', 'nsx/web1', Port.HTTPS);
    expect(nsx).toAllowFlow('nsx/app1', '10.9.200.1', Port.tcp(9000));
  });

  test('web VMs cannot open HTTPS to each other (ingress from Peer.anyIpv4() only)', () => {
    expect(estate()).toDenyFlow('nsx/web1', 'nsx/web2', Port.HTTPS);
  });

  test('app VMs cannot accept tcp/9000 from each other (egress to a CIDR peer only)', () => {
    expect(estate()).toDenyFlow('nsx/app1', 'nsx/app2', Port.tcp(9000));
  });

  test('same program on AWS denies both (the reference behaviour)', () => {
    const app = newApp();
    const aws = awsStack(app, 'aws');
    new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(aws, 'Web', { selector: { tier: 'web' } });
    web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    new Workload(aws, 'web1', { binding: AwsBinding.instance(instance(aws, 'web1-vm', { privateIp: '10.9.0.1' })), labels: { tier: 'web' } });
    new Workload(aws, 'web2', { binding: AwsBinding.instance(instance(aws, 'web2-vm', { privateIp: '10.9.0.2' })), labels: { tier: 'web' } });
    expect(aws).toDenyFlow('aws/web1', 'aws/web2', Port.HTTPS);
  });
});
