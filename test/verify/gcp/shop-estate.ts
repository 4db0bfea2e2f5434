import { GcpEstate } from './gcp-estate';

/** The secure tag values of the shop, by tier. */
export interface ShopTags {
  readonly web: string;
  readonly app: string;
  readonly db: string;
}

/**
 * A three-tier shop on one VPC network: web, app and db subnetworks with one VM each, a secure tag
 * key scoped to the network with one value per tier, and a global network firewall policy with the
 * rules the library would render (application rules, then an egress deny and an ingress deny for the
 * managed tiers).
 */
export function shopEstate(order?: string): { estate: GcpEstate; tags: ShopTags } {
  const estate = new GcpEstate();
  estate.network('vpc', order);
  estate.subnet('web', 'vpc', '10.0.1.0/24');
  estate.subnet('app', 'vpc', '10.0.2.0/24');
  estate.subnet('db', 'vpc', '10.0.3.0/24');
  const tags = estate.secureTags('tier', 'vpc', ['web', 'app', 'db']) as unknown as ShopTags;
  estate.instance('web1', { subnet: 'web', ip: '10.0.1.10', tags: [tags.web] });
  estate.instance('app1', { subnet: 'app', ip: '10.0.2.10', tags: [tags.app] });
  estate.instance('db1', { subnet: 'db', ip: '10.0.3.10', tags: [tags.db] });
  estate.networkPolicy('shop', 'vpc');
  const all = [tags.web, tags.app, tags.db];
  // ingress by secure tag, by CIDR, ICMP, port ranges; a disabled rule
  estate.rule('shop', 'app_from_web', { priority: 1000, action: 'allow', l4: [{ protocol: 'tcp', ports: ['8080', '8000-8100'] }], srcTags: [tags.web], targetTags: [tags.app], flows: ['shop/App/AllowFromWeb'] });
  estate.rule('shop', 'db_from_app', { priority: 1010, action: 'allow', l4: [{ protocol: 'tcp', ports: ['5432'] }], srcTags: [tags.app], targetTags: [tags.db], flows: ['shop/Db/AllowFromApp'] });
  estate.rule('shop', 'web_https', { priority: 1020, action: 'allow', l4: [{ protocol: 'tcp', ports: ['443'] }], srcRanges: ['0.0.0.0/0'], targetTags: [tags.web] });
  estate.rule('shop', 'db_icmp', { priority: 1030, action: 'allow', l4: [{ protocol: 'icmp' }], srcRanges: ['10.0.0.0/8'], targetTags: [tags.db] });
  estate.rule('shop', 'db_ssh_disabled', { priority: 1040, action: 'allow', l4: [{ protocol: 'tcp', ports: ['22'] }], srcRanges: ['0.0.0.0/0'], targetTags: [tags.db], disabled: true });
  // egress to addresses, all protocols
  estate.rule('shop', 'web_to_app', { priority: 2000, action: 'allow', direction: 'EGRESS', l4: [{ protocol: 'tcp', ports: ['8080', '8000-8100'] }], destRanges: ['10.0.2.0/24'], targetTags: [tags.web] });
  estate.rule('shop', 'app_to_db', { priority: 2010, action: 'allow', direction: 'EGRESS', l4: [{ protocol: 'tcp', ports: ['5432'] }], destRanges: ['10.0.3.0/24'], targetTags: [tags.app] });
  estate.rule('shop', 'web_to_partner', { priority: 2020, action: 'allow', direction: 'EGRESS', l4: [{ protocol: 'all' }], destRanges: ['203.0.113.0/24'], targetTags: [tags.web] });
  // default deny both ways for the managed tiers
  estate.rule('shop', 'egress_deny', { priority: 65000, action: 'deny', direction: 'EGRESS', destRanges: ['0.0.0.0/0'], targetTags: all });
  estate.rule('shop', 'ingress_deny', { priority: 65001, action: 'deny', srcRanges: ['0.0.0.0/0'], targetTags: all });
  return { estate, tags };
}
