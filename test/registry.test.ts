import { TerraformStack, Testing } from 'cdktf';
import { AwsEnforcement, AzureEnforcement, NsxEnforcement, nsxt, Peer, Port, Segment, Workload, AwsBinding, AzureBinding } from '../lib';
import { PlatformRenderer, PolicyRegistry } from '../lib/registry';
import { azureStack } from './azure/azure-fixtures';
import { awsStack, errorOf, instance, newApp, synthApp } from './helpers';

describe('enforcement events reach every renderer through the registry', () => {
  test('another platform\'s enforcement does not release AWS workloads still waiting for their AwsEnforcement', () => {
    // GIVEN the same AWS estate, once with the AwsEnforcement first and once with it last, after
    // an Azure and an NSX enforcement in the same stack
    const synth = (awsFirst: boolean) => {
      const app = newApp();
      const stack = awsStack(app, 'shop');
      new nsxt.NsxtProvider(stack, 'nsxt', { host: 'nsx.example', username: 'u', password: 'p' });
      if (awsFirst) new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
      const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
      new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
      web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
      new AzureEnforcement(stack, 'Azure', { resourceGroupName: 'rg', location: 'westeurope', nicNsgs: true });
      new NsxEnforcement(stack, 'Nsx', { vsphereTags: false });
      if (!awsFirst) new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
      return synthApp(app).shop;
    };

    // WHEN the AwsEnforcement comes last
    const late = synth(false);

    // THEN the waiting workload still gets its segment's group, exactly as when it came first
    expect(late.json.resource.aws_instance.web.vpc_security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\.Aws_Sg-shop-Web-/)]);
    expect(late.text).toEqual(synth(true).text);
  });

  test('a stack with enforcements of several platforms reports each quota problem once', () => {
    // GIVEN an Azure enforcement whose priorities cannot fit three rules, in a stack that also has
    // an AWS and an NSX enforcement declared after it (each fires an enforcement event for the stack)
    const app = newApp();
    const { stack, rg, subnet, nic } = azureStack(app, 'full');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id], denyPriority: 202 });
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    new NsxEnforcement(stack, 'Nsx', { vsphereTags: false });
    const api = new Segment(stack, 'Api', { members: [new Workload(stack, 'Vm', { binding: AzureBinding.networkInterface(nic('vm-nic')) })] });
    for (const port of [1001, 1003, 1005]) api.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.tcp(port));

    // WHEN synthesized
    const message = errorOf(() => app.synth());

    // THEN the Azure quota problem is listed exactly once
    expect(message.match(/AzureEnforcement 'full\/Azure': 3 Inbound rules do not fit/g)).toHaveLength(1);
  });

  test('a renderer added to one app hears every declaration of that app in order, and no other app hears it', () => {
    // GIVEN an app whose stack already has an enforcement, and a renderer added to it
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const heard: string[] = [];
    const recorder: PlatformRenderer = {
      onEnforcement: (s: TerraformStack) => heard.push(`enforcement ${s.node.path}`),
      onWorkload: (w) => heard.push(`workload ${w.node.path}`),
      onFlow: () => undefined,
      onMembership: () => undefined,
    };
    PolicyRegistry.of(stack).addRenderer(recorder);
    new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')) });
    // ... and a second app declaring the same things
    const other = newApp();
    const otherStack = awsStack(other, 'other');
    new AwsEnforcement(otherStack, 'Aws', { vpcId: 'vpc-0456' });
    new Workload(otherStack, 'WebVm', { binding: AwsBinding.instance(instance(otherStack, 'web')) });

    // WHEN nothing is synthesized yet THEN it heard nothing: rendering waits for the complete program
    expect(heard).toEqual([]);

    // WHEN both apps are synthesized
    Testing.synth(stack);
    Testing.synth(otherStack);

    // THEN the renderer heard its app's enforcement, then its workload, and nothing of the other app
    expect(heard).toEqual(['enforcement shop', 'workload shop/WebVm']);
  });
});

describe('segments find the workloads their selectors match', () => {
  test('whatever the selector keys and the declaration order, a segment has exactly the workloads it selects, joined in declaration order', () => {
    // GIVEN segments with selectors over different sets of keys, an explicit member, and workloads
    // declared before and after the segments (one lacking a key, one with a value that differs)
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const joins: string[] = [];
    PolicyRegistry.of(stack).addRenderer({
      onEnforcement: () => undefined,
      onWorkload: () => undefined,
      onFlow: () => undefined,
      onMembership: (w, s) => joins.push(`${w.node.id}>${s.node.id}`),
    });
    const workload = (id: string, labels: Record<string, string>, segments: Segment[] = []) =>
      new Workload(stack, id, { binding: AwsBinding.instance(instance(stack, id.toLowerCase())), labels, segments });
    const early = workload('Early', { app: 'shop', tier: 'web' });
    const bare = workload('Bare', { app: 'shop' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const shopWeb = new Segment(stack, 'ShopWeb', { selector: { tier: 'web', app: 'shop' } });
    const shop = new Segment(stack, 'Shop', { selector: { app: 'shop' } });
    const named = new Segment(stack, 'Named', { members: [bare] });
    const late = workload('Late', { tier: 'web', app: 'shop', env: 'prod' });
    const other = workload('Other', { app: 'blog', tier: 'web' });
    const listed = workload('Listed', { app: 'blog' }, [named, shop]);

    // WHEN the app is rendered
    Testing.synth(stack);

    // THEN each segment has exactly the workloads it selects
    const all = [early, bare, late, other, listed];
    for (const segment of [web, shopWeb, shop, named]) {
      expect(segment.members.map((m) => m.node.id)).toEqual(all.filter((w) => segment.selects(w)).map((w) => w.node.id).sort());
    }
    expect(shopWeb.members.map((m) => m.node.id)).toEqual(['Early', 'Late']);
    expect(shop.members.map((m) => m.node.id)).toEqual(['Bare', 'Early', 'Late', 'Listed']);
    // AND the memberships were heard in the order of declaration, segments in theirs for each workload
    expect(joins).toEqual([
      'Early>Web', 'Early>ShopWeb', 'Early>Shop', 'Bare>Shop', 'Bare>Named',
      'Late>Web', 'Late>ShopWeb', 'Late>Shop', 'Other>Web', 'Listed>Shop', 'Listed>Named',
    ]);
  });
});
