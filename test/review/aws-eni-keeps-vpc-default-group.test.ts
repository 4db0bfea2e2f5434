import { NetworkInterface } from '@cdktf/provider-aws/lib/network-interface';
import { AwsEnforcement, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import '../../lib/verify/jest';
import { awsStack, newApp, resourcesOf, synthApp } from '../helpers';

// An ENI created without security_groups is put by AWS into the VPC's DEFAULT security group, and
// aws_network_interface_sg_attachment adds groups without removing it
// (hashicorp/terraform-provider-aws#9323); the default group allows all egress. So the renderer
// writes the ENI's own security_groups, and the evaluator does not treat an interface without its
// own list as having a known group set.
function eniEstate() {
  const app = newApp();
  const stack = awsStack(app, 'eni');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
  const eni = new NetworkInterface(stack, 'eni', { subnetId: 'subnet-1', privateIps: ['10.0.0.10'] });
  new Workload(stack, 'web', { binding: AwsBinding.networkInterface(eni), labels: { tier: 'web' } });
  return { app, stack };
}

describe('an ENI-bound workload must not keep the VPC default security group', () => {
  test('the rendered ENI does not rely on AWS defaults for its group set', () => {
    const { app } = eniEstate();
    const eni = Object.values(resourcesOf(synthApp(app).eni, 'aws_network_interface'))[0] as any;
    // with attachments only, AWS adds the VPC default group at create time and never removes it
    expect(eni.security_groups).toBeDefined();
  });

  test('the evaluator models the default group an ENI without security_groups keeps', () => {
    // hand-written JSON, independent of the renderer: an ENI without security_groups, one attachment
    const json = {
      resource: {
        aws_security_group: { web: { vpc_id: 'vpc-1', name_prefix: 'web' } },
        aws_network_interface: { eni: { subnet_id: 'subnet-1', private_ips: ['10.0.0.10'] } },
        aws_network_interface_sg_attachment: { att: { security_group_id: '${aws_security_group.web.id}', network_interface_id: '${aws_network_interface.eni.id}' } },
      },
    };
    // AWS keeps the VPC default group on this ENI, and that group allows all egress: the verdict
    // must not be a confident DENIED
    expect(json).not.toDenyFlow('aws_network_interface.eni', '192.0.2.1', 'tcp/25');
  });
});
