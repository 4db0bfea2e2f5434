import * as fs from 'fs';
import * as path from 'path';
import '../../lib/verify/jest';
import { GCP_TIER_ADDRESSES, PARTNER_CIDR, SEARCH_ADDRESS, gcpThreeTier } from '../../examples/gcp-three-tier/main';
import { Peer, Port } from '../../lib';
import { formatMatrix, loadTerraformStacks, segmentMatrix } from '../../lib/verify';
import { newApp, synthApp } from '../helpers';

describe('examples/gcp-three-tier', () => {
  const { gcp, aws, out } = (() => {
    const app = newApp();
    const stacks = gcpThreeTier(app);
    return { ...stacks, out: synthApp(app) };
  })();

  test('GIVEN the shop WHEN synthesized THEN the declared flows are allowed', () => {
    expect(gcp).toAllowFlow(Peer.anyIpv4(), gcp.web, Port.HTTPS);
    expect(gcp).toAllowFlow(Peer.ipv4(PARTNER_CIDR), gcp.web, Port.tcp(8443));
    expect(gcp).toAllowFlow(gcp.web, gcp.app, Port.tcp(8080));
    expect(gcp).toAllowFlow(gcp.app, gcp.db, Port.POSTGRES);
    expect(gcp).toAllowFlow('gcp-three-tier/web-workload', 'gcp-three-tier/app-workload', Port.tcp(8080));
    expect(gcp).toAllowFlow('gcp-three-tier/app-workload', 'gcp-three-tier/db-workload', Port.POSTGRES);
  });

  test('GIVEN the shop THEN everything else is denied both ways, and the guardrail keeps web away from the database', () => {
    expect(gcp).toDenyFlow(gcp.web, gcp.db, Port.POSTGRES);
    expect(gcp).toDenyFlow('gcp-three-tier/web-workload', 'gcp-three-tier/db-workload', Port.POSTGRES);
    expect(gcp).toDenyFlow(gcp.web, gcp.db, Port.SSH);
    expect(gcp).toDenyFlow(gcp.app, gcp.web, Port.tcp(8080));
    expect(gcp).toDenyFlow(gcp.db, gcp.app, Port.tcp(8080));
    expect(gcp).toDenyFlow(Peer.ipv4(PARTNER_CIDR), gcp.app, Port.tcp(8080));
    expect(gcp).toDenyFlow(Peer.anyIpv4(), gcp.web, Port.tcp(8443));
    expect(gcp).toDenyFlow(gcp.app, gcp.db, Port.MYSQL);
  });

  test('GIVEN the cross-cloud flow THEN both halves are rendered: the GCP egress rule names the search instance and its security group names the app VM', () => {
    expect(aws).toAllowFlow(gcp.app, aws.search, Port.tcp(9200));
    expect(aws).toDenyFlow(gcp.web, aws.search, Port.tcp(9200));
    expect(aws).toDenyFlow(gcp.app, aws.search, Port.tcp(9300));
    const egress = Object.values<any>(out['gcp-three-tier'].json.resource.google_compute_network_firewall_policy_rule)
      .filter((r) => r.direction === 'EGRESS' && r.action === 'allow' && r.match.dest_ip_ranges?.includes(`${SEARCH_ADDRESS}/32`));
    expect(egress.map((r) => r.match.layer4_configs)).toEqual([[{ ip_protocol: 'tcp', ports: ['9200'] }]]);
    const ingress = Object.values<any>(out['gcp-three-tier-search'].json.resource.aws_vpc_security_group_ingress_rule);
    expect(ingress.map((r) => [r.cidr_ipv4, r.from_port, r.to_port])).toEqual([[`${GCP_TIER_ADDRESSES.app}/32`, 9200, 9200]]);
  });
});

describe('the README shows the Google Cloud example matrix', () => {
  test('GIVEN the gcp-three-tier stacks alone WHEN their segment matrix is formatted THEN it is the block the README shows', () => {
    // GIVEN
    const app = newApp();
    gcpThreeTier(app);
    const stacks = synthApp(app);
    // WHEN
    const model = loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.json])));
    const matrix = formatMatrix(segmentMatrix(model)).trim();
    // THEN
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const block = /matrix`\) of its two stacks:\n\n```\n([\s\S]*?)\n```/.exec(readme);
    expect(block).not.toBeNull();
    expect(block![1].trim()).toEqual(matrix);
  });
});
