import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AwsEnforcement, AzureEnforcement, Peer, Port, Segment, Workload } from '../../lib';
import { TerraformModel } from '../../lib/verify/model/terraform-model';
import { synthesizeApp } from '../../lib/verify/synthesize-app';
import { azureStack } from '../azure/azure-fixtures';
import { awsStack, instance, newApp } from '../helpers';

/**
 * A two-platform app: stack `shop` on AWS (Web, Api), stack `azure` (Db). The internet reaches Web
 * on 443, Web reaches Api on 8080, Api reaches Db on 5432 (a cross-platform flow).
 */
export function twoPlatformModel(): TerraformModel {
  const app = newApp();
  const shop = awsStack(app, 'shop');
  new AwsEnforcement(shop, 'Aws', { vpcId: 'vpc-0123' });
  const az = azureStack(app, 'azure');
  new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
  new AwsProvider(az.stack, 'aws', { region: 'eu-west-1' });
  const web = new Segment(shop, 'Web', { selector: { app: 'r', tier: 'web' } });
  const api = new Segment(shop, 'Api', { selector: { app: 'r', tier: 'api' } });
  const db = new Segment(az.stack, 'Db', { selector: { app: 'r', tier: 'db' } });
  web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
  api.allowFrom(web, Port.tcp(8080));
  db.allowFrom(api, Port.POSTGRES);
  new Workload(shop, 'web', { awsInstance: instance(shop, 'web-vm', { privateIp: '10.0.1.10' }), labels: { app: 'r', tier: 'web' }, addresses: ['10.0.1.10'] });
  new Workload(shop, 'api', { awsInstance: instance(shop, 'api-vm', { privateIp: '10.0.2.10' }), labels: { app: 'r', tier: 'api' }, addresses: ['10.0.2.10'] });
  new Workload(az.stack, 'db', { azureNetworkInterface: az.nic('db-nic', '10.1.1.20'), labels: { app: 'r', tier: 'db' }, addresses: ['10.1.1.20'] });
  return synthesizeApp(shop);
}
