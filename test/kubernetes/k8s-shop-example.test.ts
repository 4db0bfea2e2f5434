import * as fs from 'fs';
import * as path from 'path';
import '../../lib/verify/jest';
import { DB_ADDRESS, K8sShopStack, PARTNER_CIDR, POD_CIDR, k8sShop } from '../../examples/k8s-shop/main';
import { Peer, Port } from '../../lib';
import { formatMatrix, loadTerraformStacks, segmentMatrix } from '../../lib/verify';
import { newApp, synthApp } from '../helpers';

describe('examples/k8s-shop', () => {
  const { stack, out } = (() => {
    const app = newApp();
    const shop: K8sShopStack = k8sShop(app);
    return { stack: shop, out: synthApp(app)['k8s-shop'] };
  })();

  test('GIVEN the shop WHEN synthesized THEN the declared flows are allowed, on the cluster and on AWS', () => {
    expect(stack).toAllowFlow(Peer.anyIpv4(), stack.web, Port.tcp(8080));
    expect(stack).toAllowFlow(stack.web, stack.api, Port.tcp(9000));
    expect(stack).toAllowFlow(Peer.ipv4(PARTNER_CIDR), stack.api, Port.tcp(9443));
    expect(stack).toAllowFlow(stack.api, stack.worker, Port.tcp(7000));
    expect(stack).toAllowFlow(stack.api, stack.db, Port.POSTGRES);
  });

  test('GIVEN the shop THEN everything else is denied, and the guardrail keeps web away from the database', () => {
    expect(stack).toDenyFlow(stack.web, stack.db, Port.POSTGRES);
    expect(stack).toDenyFlow(stack.web, stack.worker, Port.tcp(7000));
    expect(stack).toDenyFlow(stack.worker, stack.api, Port.tcp(9000));
    expect(stack).toDenyFlow(stack.api, stack.web, Port.tcp(8080));
    expect(stack).toDenyFlow(Peer.ipv4(PARTNER_CIDR), stack.worker, Port.tcp(7000));
    expect(stack).toDenyFlow(Peer.anyIpv4(), stack.api, Port.tcp(9443));
    expect(stack).toDenyFlow(stack.api, stack.db, Port.MYSQL);
    expect(stack).toDenyFlow(stack.db, stack.api, Port.tcp(9000));
  });

  test('GIVEN the cross-platform flow THEN the pods name the instance by address and its security group names the pod network', () => {
    const policies = Object.values<any>(out.json.resource.kubernetes_network_policy_v1);
    const api = policies.find((p) => p.spec.pod_selector.match_labels?.['app.kubernetes.io/name'] === 'api');
    expect(api.spec.egress).toContainEqual({ to: [{ ip_block: { cidr: `${DB_ADDRESS}/32` } }], ports: [{ protocol: 'TCP', port: '5432' }] });
    const ingress = Object.values<any>(out.json.resource.aws_vpc_security_group_ingress_rule);
    expect(ingress.map((r) => [r.cidr_ipv4, r.from_port])).toEqual([[POD_CIDR, 5432]]);
    const denies = Object.values<any>(out.json.resource.kubernetes_manifest).map((m) => m.manifest);
    expect(denies).toHaveLength(1);
    expect(denies[0].spec.egress).toEqual([expect.objectContaining({ action: 'Deny', to: [{ networks: [`${DB_ADDRESS}/32`] }] })]);
  });
});

describe('the README shows the example evaluator matrix', () => {
  test('GIVEN the k8s-shop stack alone WHEN its segment matrix is formatted THEN it is the block the README shows', () => {
    // GIVEN
    const app = newApp();
    k8sShop(app);
    const stacks = synthApp(app);
    // WHEN
    const model = loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.json])));
    const matrix = formatMatrix(segmentMatrix(model)).trim();
    // THEN
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const block = /--stack k8s-shop`:\n\n```\n([\s\S]*?)\n```/.exec(readme);
    expect(block).not.toBeNull();
    expect(block![1].trim()).toEqual(matrix);
  });
});
