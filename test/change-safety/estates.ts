import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { App, TerraformStack } from 'cdktf';
import { SynthesizedVersion, appWithAllocations, synthesizeVersion } from './impact';
import { AllowFlow, AwsEnforcement, AzureEnforcement, DenyFlow, IFlowEndpoint, NsxEnforcement, Peer, Port, Segment, Workload, AwsBinding, AzureBinding, VsphereBinding, KubernetesBinding, KubernetesEnforcement, GcpBinding, GcpEnforcement } from '../../lib';
import { HostBinding } from '../../lib/host';
import { azureStack } from '../azure/azure-fixtures';
import { gcpStack, vm as gcpVm } from '../gcp/gcp-fixtures';
import { awsStack, instance } from '../helpers';
import { deployment, kubeStack } from '../kubernetes/k8s-fixtures';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

/** The enforcement platforms the suite covers. */
export type PlatformName = 'aws' | 'azure' | 'nsx' | 'kubernetes' | 'host' | 'gcp';

/** One stack holding everything, or a platform stack (enforcement, segments, workloads) and two team stacks declaring flows. */
export type Layout = 'single' | 'multi';

/** A stack of the estate: `platform` (also the only stack of the single layout), `team-a`, `team-b`. */
export type StackRole = 'platform' | 'team-a' | 'team-b';

/** A segment: its construct id, the tier label it selects, an optional description and stable id. */
export interface SegmentSpec {
  readonly id: string;
  readonly selector: Record<string, string>;
  readonly description?: string;
  readonly stableId?: string;
}

/** A workload in the platform stack: its id, tier subnet, labels and private address. */
export interface WorkloadSpec {
  readonly id: string;
  readonly tier: 'web' | 'api' | 'db';
  readonly labels: Record<string, string>;
  readonly ip: string;
}

/** One end of a flow: a segment (by its stable key: the construct id in the base estate) or a CIDR. */
export type EndSpec = { readonly segment: string } | { readonly cidr: string } | { readonly anyIpv4: true };

/** An AllowFlow and the stack that declares it. */
export interface FlowSpec {
  readonly id: string;
  readonly stack: StackRole;
  readonly from: EndSpec;
  readonly to: EndSpec;
  readonly ports: readonly string[];
  readonly description?: string;
  /** The flow's identity across renames and moves between stacks. */
  readonly stableId?: string;
}

/** A DenyFlow (always in the platform stack). */
export interface DenySpec {
  readonly id: string;
  readonly from?: EndSpec;
  readonly to: EndSpec;
  readonly ports: readonly string[];
}

/** A whole estate as data: a change is a function from one spec to another. */
export interface EstateSpec {
  readonly platform: PlatformName;
  readonly layout: Layout;
  /** Segments keyed by their stable key (the construct id they have in the base estate). */
  readonly segments: Readonly<Record<string, SegmentSpec>>;
  readonly workloads: readonly WorkloadSpec[];
  readonly flows: readonly FlowSpec[];
  readonly denies: readonly DenySpec[];
}

/** The subnet of each tier (AWS subnets mapped to the tier's segment for the network ACLs; Azure and NSX use the addresses only). */
export const TIER_CIDRS = { web: '10.0.1.0/24', api: '10.0.2.0/24', db: '10.0.3.0/24' } as const;

/** The administrators' network, a CIDR peer. */
export const ADMIN_CIDR = '198.51.100.0/24';

/**
 * The base estate: segments Web, Api (with a stable id) and Db; workloads web1, web2, api1, db1
 * (api1 and db1 also labelled monitored=true, for the segment a change adds); the internet
 * reaches Web on 443, Web reaches Api on 8080 and on the metrics range 9000-9010, Api reaches Db on
 * Postgres, the admin network reaches Api on SSH; a DenyFlow keeps Web off Db's SSH port (below the
 * ephemeral range, so the stateless network ACLs still pass the replies of other flows). In the
 * multi-stack layout team-a declares Web's flows, team-b the Api-to-Db and admin flows. WebToApi has
 * a stable id, so moving its declaration to another stack keeps its identity.
 */
export function baseEstate(platform: PlatformName, layout: Layout): EstateSpec {
  const team = (role: StackRole): StackRole => (layout === 'single' ? 'platform' : role);
  return {
    platform,
    layout,
    segments: {
      Web: { id: 'Web', selector: { tier: 'web' }, description: 'public web tier' },
      Api: { id: 'Api', selector: { tier: 'api' }, description: 'application tier', stableId: 'api' },
      Db: { id: 'Db', selector: { tier: 'db' }, description: 'database tier' },
    },
    workloads: [
      { id: 'web1', tier: 'web', labels: { tier: 'web' }, ip: '10.0.1.10' },
      { id: 'web2', tier: 'web', labels: { tier: 'web' }, ip: '10.0.1.11' },
      { id: 'api1', tier: 'api', labels: { tier: 'api', monitored: 'true' }, ip: '10.0.2.10' },
      { id: 'db1', tier: 'db', labels: { tier: 'db', monitored: 'true' }, ip: '10.0.3.10' },
    ],
    flows: [
      { id: 'Public', stack: 'platform', from: { anyIpv4: true }, to: { segment: 'Web' }, ports: ['tcp/443'] },
      { id: 'WebToApi', stack: team('team-a'), from: { segment: 'Web' }, to: { segment: 'Api' }, ports: ['tcp/8080'], description: 'web calls the api', stableId: 'web-to-api' },
      { id: 'WebMetrics', stack: team('team-a'), from: { segment: 'Web' }, to: { segment: 'Api' }, ports: ['tcp/9000-9010'] },
      { id: 'ApiToDb', stack: team('team-b'), from: { segment: 'Api' }, to: { segment: 'Db' }, ports: ['tcp/5432'], description: 'api reads the database' },
      { id: 'AdminSsh', stack: team('team-b'), from: { cidr: ADMIN_CIDR }, to: { segment: 'Api' }, ports: ['tcp/22'] },
    ],
    denies: [{ id: 'NoWebToDb', from: { segment: 'Web' }, to: { segment: 'Db' }, ports: ['tcp/22'] }],
  };
}

function portOf(text: string): Port {
  const [protocol, range] = text.split('/');
  const [from, to] = range.split('-').map(Number);
  if (protocol !== 'tcp') throw new Error(`estate ports are tcp: ${text}`);
  return to === undefined ? Port.tcp(from) : Port.tcpRange(from, to);
}

/** What building an estate gives: the app and its stacks by role. */
interface BuiltEstate {
  readonly app: App;
  readonly stacks: Record<StackRole, TerraformStack>;
}

/** Declares the estate in `app` (see `appWithAllocations`). */
export function buildEstate(spec: EstateSpec, app: App): BuiltEstate {
  const names: Record<StackRole, string> = spec.layout === 'single'
    ? { 'platform': 'shop', 'team-a': 'shop', 'team-b': 'shop' }
    : { 'platform': 'platform', 'team-a': 'team-a', 'team-b': 'team-b' };
  const made = new Map<string, TerraformStack>();
  const platformStack = (): TerraformStack => {
    const name = names.platform;
    if (spec.platform === 'aws') return awsStack(app, name);
    if (spec.platform === 'nsx') return nsxStack(app, name);
    if (spec.platform === 'kubernetes') return kubeStack(app, name);
    if (spec.platform === 'gcp') return gcpStack(app, name);
    if (spec.platform === 'host') return new TerraformStack(app, name);
    return azureStack(app, name).stack;
  };
  // the platform stack first: Azure's helper makes its resource group, VNet and subnet there
  const platform = platformStack();
  made.set(names.platform, platform);
  const stackFor = (role: StackRole): TerraformStack => {
    const name = names[role];
    let stack = made.get(name);
    if (!stack && spec.platform === 'host') {
      stack = new TerraformStack(app, name);
      made.set(name, stack);
    }
    if (!stack) {
      if (spec.platform === 'aws') {stack = awsStack(app, name);} else if (spec.platform === 'nsx') {stack = nsxStack(app, name);} else if (spec.platform === 'kubernetes') {stack = kubeStack(app, name);} else if (spec.platform === 'gcp') {stack = gcpStack(app, name);} else {
        stack = new TerraformStack(app, name);
        new AzurermProvider(stack, 'azurerm', { features: [{}] });
      }
      made.set(name, stack);
    }
    return stack;
  };
  const stacks = { 'platform': platform, 'team-a': stackFor('team-a'), 'team-b': stackFor('team-b') };

  const segments: Record<string, Segment> = {};
  for (const [key, segment] of Object.entries(spec.segments)) {
    segments[key] = new Segment(platform, segment.id, { selector: segment.selector, description: segment.description, stableId: segment.stableId });
  }
  const workloadSubnets = enforce(spec, platform, segments);
  for (const workload of spec.workloads) workloadSubnets(workload);

  const end = (spec_: EndSpec): IFlowEndpoint => {
    if ('segment' in spec_) return segments[spec_.segment];
    if ('cidr' in spec_) return Peer.ipv4(spec_.cidr);
    return Peer.anyIpv4();
  };
  for (const flow of spec.flows) {
    const props = { from: end(flow.from), to: end(flow.to), ports: flow.ports.map(portOf), description: flow.description, stableId: flow.stableId };
    new AllowFlow(stacks[flow.stack], flow.id, props);
  }
  for (const deny of spec.denies) {
    new DenyFlow(platform, deny.id, { from: deny.from ? end(deny.from) : undefined, to: end(deny.to), ports: deny.ports.map(portOf) });
  }
  return { app, stacks };
}

/** Creates the platform's enforcement in `stack` and returns how to declare a workload there. */
function enforce(spec: EstateSpec, stack: TerraformStack, segments: Record<string, Segment>): (workload: WorkloadSpec) => void {
  if (spec.platform === 'aws') {
    const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true });
    const subnets = {} as Record<keyof typeof TIER_CIDRS, Subnet>;
    for (const tier of Object.keys(TIER_CIDRS) as (keyof typeof TIER_CIDRS)[]) {
      subnets[tier] = new Subnet(stack, `${tier}-subnet`, { vpcId: 'vpc-0123', cidrBlock: TIER_CIDRS[tier] });
      const segment = Object.values(segments).find((candidate) => candidate.selector.tier === tier && Object.keys(candidate.selector).length === 1);
      if (segment) enforcement.addSubnet({ segment, subnetId: subnets[tier].id, cidr: TIER_CIDRS[tier] });
    }
    return (workload) => {
      new Workload(stack, workload.id, { binding: AwsBinding.instance(instance(stack, `${workload.id}-vm`, { subnetId: subnets[workload.tier].id, privateIp: workload.ip })), labels: workload.labels });
    };
  }
  if (spec.platform === 'azure') {
    // azureStack made the resource group, VNet (10.1.0.0/16 by default) and subnet in the platform stack
    const rg = stack.node.findChild('Rg') as any;
    const subnet = stack.node.findChild('Subnet') as any;
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
    return (workload) => {
      const ip = azureAddress(workload.ip);
      const nic = new NetworkInterface(stack, `${workload.id}-nic`, {
        name: `${workload.id}-nic`,
        resourceGroupName: rg.name,
        location: rg.location,
        ipConfiguration: [{ name: 'primary', subnetId: subnet.id, privateIpAddressAllocation: 'Static', privateIpAddress: ip }],
      });
      new Workload(stack, workload.id, { binding: AzureBinding.networkInterface(nic), labels: workload.labels, addresses: [ip] });
    };
  }
  if (spec.platform === 'kubernetes') {
    // each workload is a Deployment in namespace shop whose pods carry app: <workload id>
    new KubernetesEnforcement(stack, 'Cluster', { clusterName: 'shop', podCidrs: ['10.244.0.0/16'] });
    return (workload) => {
      new Workload(stack, workload.id, { binding: KubernetesBinding.deployment(deployment(stack, 'shop', workload.id)), labels: workload.labels });
    };
  }
  if (spec.platform === 'gcp') {
    // VM instances on one VPC network; their secure tags through tag bindings, so that a membership
    // change adds or removes bindings instead of replacing the instance (params force replacement)
    const network = new ComputeNetwork(stack, 'Vpc', { name: 'vpc', autoCreateSubnetworks: false });
    new GcpEnforcement(stack, 'Gcp', { project: 'shop-prod', network });
    return (workload) => {
      const gcpInstance = gcpVm(stack, `${workload.id}-vm`, { networkInterface: [{ network: 'vpc', networkIp: workload.ip }] });
      new Workload(stack, workload.id, { binding: GcpBinding.instanceWithTagBindings(gcpInstance), labels: workload.labels });
    };
  }
  if (spec.platform === 'host') {
    // servers known only by address, each enforcing its flows with its own nftables
    return (workload) => {
      new Workload(stack, workload.id, { binding: HostBinding.linux([workload.ip]), labels: workload.labels });
    };
  }
  new NsxEnforcement(stack, 'Nsx');
  return (workload) => {
    new Workload(stack, workload.id, { binding: VsphereBinding.virtualMachine(vm(stack, `${workload.id}-vm`)), labels: workload.labels, addresses: [workload.ip] });
  };
}

/** The workload's address in the Azure fixture's one subnet 10.1.1.0/24: 10.0.<tier>.<n> becomes 10.1.1.<10 * tier + n>. */
function azureAddress(ip: string): string {
  const [, , tier, host] = ip.split('.').map(Number);
  return `10.1.1.${10 * tier + host}`;
}

/** Synthesizes the estate (validations included) with the allocation file and loads every stack. */
export function synthesizeEstate(spec: EstateSpec, allocations: string): SynthesizedVersion {
  return synthesizeVersion(buildEstate(spec, appWithAllocations(allocations)).app);
}
