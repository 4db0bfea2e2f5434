import { ADMIN_GROUP, API_PORT, PARTNER_CIDR, WEBHOOK_PORT, awsShop } from '../../examples/aws-shop/main';
import { Peer, Port } from '../../lib';
import { TerraformModel, loadTerraformStacks } from '../../lib/verify';
import '../../lib/verify/jest';
import { newApp, resourcesOf, synthApp } from '../helpers';

describe('examples/aws-shop: load balancer, ECS service, database, cache, interface endpoint and Auto Scaling group', () => {
  const app = newApp();
  const stack = awsShop(app);
  const out = synthApp(app)['aws-shop'];
  const model: TerraformModel = loadTerraformStacks({ 'aws-shop': out.json });
  const REDIS = Port.tcp(6379);

  test('GIVEN the shop WHEN synthesized THEN every bound resource lists its segment\'s group in its own list, and no attachment resource exists', () => {
    const groups = Object.entries<any>(resourcesOf(out, 'aws_security_group'));
    const ref = (segment: string) => `\${aws_security_group.${groups.find(([, g]) => g.tags['microseg:segment'] === `aws-shop/${segment}`)![0]}.id}`;
    expect(resourcesOf(out, 'aws_lb').alb.security_groups).toEqual([ref('Edge')]);
    expect(resourcesOf(out, 'aws_ecs_service')['api-service'].network_configuration.security_groups).toEqual([ref('Api')]);
    expect(resourcesOf(out, 'aws_launch_template')['worker-template'].vpc_security_group_ids).toEqual([ref('Workers')]);
    expect(resourcesOf(out, 'aws_db_instance').db.vpc_security_group_ids).toEqual([ref('Db')]);
    expect(resourcesOf(out, 'aws_elasticache_replication_group').cache.security_group_ids).toEqual([ref('Cache')]);
    expect(resourcesOf(out, 'aws_vpc_endpoint')['sqs-endpoint'].security_group_ids).toEqual([ref('Queue')]);
    expect(resourcesOf(out, 'aws_network_interface_sg_attachment')).toEqual({});
    // the admin group is referenced by id, never copied as addresses
    const adminRules = Object.values<any>(resourcesOf(out, 'aws_vpc_security_group_ingress_rule')).filter((rule) => rule.referenced_security_group_id === ADMIN_GROUP);
    expect(adminRules.map((rule) => rule.from_port).sort()).toEqual([22, 5432]);
  });

  test('GIVEN the shop THEN the declared paths are open', () => {
    expect(model).toAllowFlow(Peer.anyIpv4(), stack.edge, Port.HTTPS);
    expect(model).toAllowFlow(Peer.ipv4(PARTNER_CIDR), stack.edge, Port.tcp(WEBHOOK_PORT));
    expect(model).toAllowFlow(stack.edge, stack.api, Port.tcp(API_PORT));
    expect(model).toAllowFlow(stack.api, stack.db, Port.POSTGRES);
    expect(model).toAllowFlow(stack.api, stack.cache, REDIS);
    expect(model).toAllowFlow(stack.api, stack.queue, Port.HTTPS);
    expect(model).toAllowFlow(stack.workers, stack.queue, Port.HTTPS);
    expect(model).toAllowFlow(stack.workers, stack.db, Port.POSTGRES);
    expect(model).toAllowFlow(Peer.awsSecurityGroup(ADMIN_GROUP), stack.workers, Port.SSH);
    expect(model).toAllowFlow(Peer.awsSecurityGroup(ADMIN_GROUP), stack.db, Port.POSTGRES);
  });

  test('GIVEN the shop THEN everything else is denied, in both directions', () => {
    // the internet and the partner reach the load balancer only, on their ports only
    expect(model).toDenyFlow(Peer.anyIpv4(), stack.api, Port.tcp(API_PORT));
    expect(model).toDenyFlow(Peer.anyIpv4(), stack.edge, Port.tcp(WEBHOOK_PORT));
    expect(model).toDenyFlow(Peer.ipv4(PARTNER_CIDR), stack.db, Port.POSTGRES);
    // the load balancer reaches the API, never the data tier
    expect(model).toDenyFlow(stack.edge, stack.db, Port.POSTGRES);
    expect(model).toDenyFlow(stack.edge, stack.cache, REDIS);
    // the workers have no cache access and the API no SSH to the workers
    expect(model).toDenyFlow(stack.workers, stack.cache, REDIS);
    expect(model).toDenyFlow(stack.api, stack.workers, Port.SSH);
    // no reverse paths
    expect(model).toDenyFlow(stack.db, stack.api, Port.POSTGRES);
    expect(model).toDenyFlow(stack.api, stack.edge, Port.tcp(API_PORT));
    // the admin group: SSH to the workers and PostgreSQL to the database, nothing else
    expect(model).toDenyFlow(Peer.awsSecurityGroup(ADMIN_GROUP), stack.api, Port.SSH);
    expect(model).toDenyFlow(Peer.awsSecurityGroup(ADMIN_GROUP), stack.cache, REDIS);
    expect(model).toDenyFlow(Peer.anyIpv4(), stack.workers, Port.SSH);
  });
});
