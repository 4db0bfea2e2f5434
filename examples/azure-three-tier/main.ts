import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AzureEnforcement, Peer, Port, Segment, Workload, AzureBinding } from '../../lib';

/** The admin network allowed to reach every tier over SSH. */
export const ADMIN_CIDR = '198.51.100.0/24';

/** Static private addresses of the three NICs. */
export const TIER_ADDRESSES: { [tier: string]: string } = { web: '10.1.1.10', app: '10.1.1.20', db: '10.1.1.30' };

/**
 * A three-tier shop on Azure: web, app and db NICs in one subnet of one VNet. HTTPS from the
 * internet to web, web to app on 8080, app to db on 5432, SSH from the admin network to all three;
 * everything else is denied in both directions, including the intra-VNet traffic that Azure's
 * default rules would allow (for example web straight to db).
 */
export class AzureThreeTierStack extends TerraformStack {
  /** The web tier. */
  public readonly web: Segment;
  /** The application tier. */
  public readonly app: Segment;
  /** The database tier. */
  public readonly db: Segment;
  /** Every tier of the shop, for admin access. */
  public readonly managed: Segment;
  /** The NICs by tier. */
  public readonly nics: { [tier: string]: NetworkInterface } = {};

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}] });
    const rg = new ResourceGroup(this, 'Rg', { name: 'shop-rg', location: 'westeurope' });
    const vnet = new VirtualNetwork(this, 'Vnet', {
      name: 'shop-vnet',
      resourceGroupName: rg.name,
      location: rg.location,
      addressSpace: ['10.1.0.0/16'],
    });
    const subnet = new Subnet(this, 'Subnet', {
      name: 'shop',
      resourceGroupName: rg.name,
      virtualNetworkName: vnet.name,
      addressPrefixes: ['10.1.1.0/24'],
    });
    new AzureEnforcement(this, 'Azure', {
      resourceGroupName: rg.name,
      location: rg.location,
      subnetIds: [subnet.id],
    });

    this.web = new Segment(this, 'Web', { selector: { app: 'crm', tier: 'web' } });
    this.app = new Segment(this, 'App', { selector: { app: 'crm', tier: 'app' } });
    this.db = new Segment(this, 'Db', { selector: { app: 'crm', tier: 'db' } });
    this.managed = new Segment(this, 'Managed', { selector: { app: 'crm' } });

    this.web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    this.app.allowFrom(this.web, Port.tcp(8080));
    this.db.allowFrom(this.app, Port.POSTGRES);
    this.managed.allowFrom(Peer.ipv4(ADMIN_CIDR), Port.SSH);

    for (const tier of ['web', 'app', 'db']) {
      const nic = new NetworkInterface(this, `${tier}-nic`, {
        name: `shop-${tier}-nic`,
        resourceGroupName: rg.name,
        location: rg.location,
        ipConfiguration: [{
          name: 'primary',
          subnetId: subnet.id,
          privateIpAddressAllocation: 'Static',
          privateIpAddress: TIER_ADDRESSES[tier],
        }],
      });
      this.nics[tier] = nic;
      new Workload(this, `${tier}-workload`, { binding: AzureBinding.networkInterface(nic), labels: { app: 'crm', tier } });
    }
  }
}

/** Adds the example's stack to an app. */
export function azureThreeTier(app: App): AzureThreeTierStack {
  return new AzureThreeTierStack(app, 'azure-three-tier');
}
