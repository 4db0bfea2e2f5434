import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { App } from 'cdktf';
import { AllowFlow, AwsEnforcement, DenyFlow, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import { allocateSlots } from '../../lib/model/slot-allocator';
import { ALLOCATION_FILE_CONTEXT } from '../../lib/render/allocations';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { awsStack, synthApp } from '../helpers';
import { FirstSyntheses } from './first-syntheses';

// Change safety of the network ACL layer. Every attribute of an aws_network_acl_rule forces
// replacement and rule numbers are unique per ACL and direction, so for each everyday change this
// suite synthesizes the estate before and after, and checks, entry by entry:
// - which entries are destroyed, replaced or created (exactly the expected ones);
// - no traffic allowed before and after is cut while applying: the evaluator reads the ACLs of both
//   syntheses and of the worst moment in between (every destroy done, no create yet; a replacement
//   with create_before_destroy keeps its old entry until the new one exists);
// - a replaced entry is created before the old one is destroyed, with a number the old one does not
//   hold, and a created entry takes no number an entry of the same ACL and direction held before;
// - every untouched entry keeps its address and its rule number.
// Each change runs on one stack (the enforcement, its subnets and the flows together) and on two
// (flows declared by a team stack, the ACLs in the network stack that owns the enforcement).

const VPC = 'vpc-0123';
const SUBNETS = { web: '10.0.1.0/24', app: '10.0.2.0/24', db: '10.0.3.0/24' } as const;
const CACHE_SUBNET = '10.0.4.0/24';
const ADMIN = '198.51.100.0/24';
/** The first host a DenyFlow of `deniedHosts` names; the next ones count down from it. */
const DENIED_FIRST = 119;
const BATCH = '203.0.113.0/24';

/** What a variant of the estate declares; each change flips one of these. */
interface EstateOptions {
  /** Ports of the flow web to app (its own construct, `WebToApp`). */
  readonly webToAppPorts: Port[];
  /** A second flow web to app on tcp/8080-8090: the same first port as `WebToApp`'s 8080. */
  readonly wideFlow?: boolean;
  /** A second flow web to app on tcp/8081. */
  readonly secondFlow8081?: boolean;
  /** The CIDR of the admin peer (flow `AdminSsh`). */
  readonly adminCidr: string;
  /** The range of the flow app to the batch network (flow `AppToBatch`). */
  readonly batchRange: [number, number];
  /** Whether the flow app to db (POSTGRES) is declared. */
  readonly appToDb: boolean;
  /** An extra flow web to db on tcp/9187. */
  readonly webToDbMetrics?: boolean;
  /** An external workload of the web segment known by its address. */
  readonly partner?: boolean;
  /** Whether the team stack (rather than the network stack) declares the partner workload. */
  readonly partnerInTeam?: boolean;
  /** A second web instance in the web subnet. */
  readonly web2?: boolean;
  /** A cache segment in a subnet of its own, reached from app. */
  readonly cache?: boolean;
  /** The construct id of the app segment, and the stableId it keeps across a rename. */
  readonly appSegmentId?: string;
  readonly appSegmentStableId?: string;
  /** The description of the app segment. */
  readonly appSegmentDescription?: string;
  /** The description of the flow web to app. */
  readonly description: string;
  /** A DenyFlow web to db on SSH. */
  readonly deny?: boolean;
  /** DenyFlows web to single hosts on SSH (192.0.2.119, .118, ...), one deny entry each. */
  readonly deniedHosts?: number;
  /** Flows from single admin hosts to app on SSH, two allow entries each. */
  readonly adminHosts?: number;
  /** Where the flows live: `one` stack, or a `team` stack beside the network stack. */
  readonly layout: 'one' | 'two';
  /** The stack declaring the flow web to app: the team stack (`team`) or a second team's (`team2`). */
  readonly webToAppIn?: 'team' | 'team2';
  /** The same flow web to app declared again by a second team's stack. */
  readonly duplicateInTeam2?: boolean;
}

const BASE: EstateOptions = {
  webToAppPorts: [Port.tcp(8080)],
  adminCidr: ADMIN,
  batchRange: [9000, 9100],
  appToDb: true,
  description: 'web calls the app API',
  layout: 'one',
};

/** The stack names of a layout: where the enforcement lives, and where the flows are declared. */
function stacksOf(options: EstateOptions): { net: string; team: string } {
  return options.layout === 'one' ? { net: 'shop', team: 'shop' } : { net: 'net', team: 'team' };
}

/** Builds the estate: three tiers in three subnets of one VPC, network ACLs on, flows of every kind. */
function build(options: EstateOptions, allocationFile: string): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-change-'));
  const app = new App({ outdir, stackTraces: false, context: { [ALLOCATION_FILE_CONTEXT]: allocationFile } });
  const stackNames = stacksOf(options);
  const net = awsStack(app, stackNames.net);
  const team = stackNames.team === stackNames.net ? net : awsStack(app, stackNames.team);
  const team2 = options.layout === 'two' && (options.webToAppIn === 'team2' || options.duplicateInTeam2) ? awsStack(app, 'team2') : undefined;
  const enforcement = new AwsEnforcement(net, 'Aws', { vpcId: VPC, networkAcls: true, maxNetworkAclRules: 40 });
  const segment = (id: string, tier: string, cidr: string, extra: { stableId?: string; description?: string } = {}) => {
    const s = new Segment(net, id, { selector: { tier }, ...extra });
    const subnet = new Subnet(net, `${tier}-subnet`, { vpcId: VPC, cidrBlock: cidr });
    enforcement.addSubnet({ segment: s, subnetId: subnet.id, cidr });
    return { segment: s, subnet };
  };
  const web = segment('Web', 'web', SUBNETS.web);
  const api = segment(options.appSegmentId ?? 'App', 'app', SUBNETS.app, { stableId: options.appSegmentStableId, description: options.appSegmentDescription });
  const db = segment('Db', 'db', SUBNETS.db);
  const vm = (name: string, tier: string, subnet: Subnet, ip: string) => {
    const instance = new Instance(net, name, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro', subnetId: subnet.id, privateIp: ip });
    new Workload(net, `${name}-workload`, { binding: AwsBinding.instance(instance), labels: { tier } });
  };
  vm('web1', 'web', web.subnet, '10.0.1.10');
  vm('app1', 'app', api.subnet, '10.0.2.10');
  vm('db1', 'db', db.subnet, '10.0.3.10');
  if (options.web2) vm('web2', 'web', web.subnet, '10.0.1.11');
  if (options.partner) new Workload(options.partnerInTeam ? team : net, 'Partner', { addresses: ['192.0.2.10'], labels: { tier: 'web' } });

  new AllowFlow(team, 'InternetToWeb', { from: Peer.anyIpv4(), to: web.segment, ports: [Port.HTTPS] });
  const webToAppStack = options.webToAppIn === 'team2' ? team2! : team;
  new AllowFlow(webToAppStack, 'WebToApp', { from: web.segment, to: api.segment, ports: options.webToAppPorts, description: options.description });
  if (options.duplicateInTeam2) new AllowFlow(team2!, 'WebToApp', { from: web.segment, to: api.segment, ports: options.webToAppPorts, description: options.description });
  if (options.wideFlow) new AllowFlow(team, 'WebToAppWide', { from: web.segment, to: api.segment, ports: [Port.tcpRange(8080, 8090)] });
  if (options.secondFlow8081) new AllowFlow(team, 'WebToApp8081', { from: web.segment, to: api.segment, ports: [Port.tcp(8081)] });
  if (options.appToDb) new AllowFlow(team, 'AppToDb', { from: api.segment, to: db.segment, ports: [Port.POSTGRES] });
  new AllowFlow(team, 'AdminSsh', { from: Peer.ipv4(options.adminCidr), to: api.segment, ports: [Port.SSH] });
  new AllowFlow(team, 'AppToBatch', { from: api.segment, to: Peer.ipv4(BATCH), ports: [Port.tcpRange(...options.batchRange)] });
  if (options.webToDbMetrics) new AllowFlow(team, 'WebToDbMetrics', { from: web.segment, to: db.segment, ports: [Port.tcp(9187)] });
  if (options.cache) {
    const cache = segment('Cache', 'cache', CACHE_SUBNET);
    vm('cache1', 'cache', cache.subnet, '10.0.4.10');
    new AllowFlow(team, 'AppToCache', { from: api.segment, to: cache.segment, ports: [Port.REDIS] });
  }
  for (let i = 0; i < (options.deniedHosts ?? 0); i++) new DenyFlow(team, `NoSshTo${i}`, { from: web.segment, to: Peer.ipv4(`192.0.2.${DENIED_FIRST - i}/32`), ports: [Port.SSH] });
  for (let i = 0; i < (options.adminHosts ?? 0); i++) new AllowFlow(team, `AdminHost${i}`, { from: Peer.ipv4(`198.18.0.${i}/32`), to: api.segment, ports: [Port.SSH] });
  if (options.deny) new DenyFlow(team, 'NoSshWebToDb', { from: web.segment, to: db.segment, ports: [Port.SSH] });
  return app;
}

/** A path for an allocation file that does not exist yet (the first synthesis of a repository). */
function freshAllocationFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-allocations-')), 'microseg.allocations.json');
}

/** One network ACL entry as Terraform sees it, in the stack that holds it. */
interface Entry {
  /** `stack:aws_network_acl_rule.name`. */
  readonly address: string;
  /** The ACL and direction (`stack:${aws_network_acl.x.id}|egress`): rule numbers are unique within it. */
  readonly list: string;
  readonly attributes: Record<string, unknown>;
  readonly number: number;
  readonly createBeforeDestroy: boolean;
  /** The flows (or guardrails) its `"//".microseg` provenance says it serves. */
  readonly flows: string[];
}

interface Synthesis {
  readonly stacks: Record<string, any>;
  readonly entries: Map<string, Entry>;
  /** The warnings of the synthesis. */
  readonly warnings: string[];
}

/**
 * Synthesizes a variant of the estate. Syntheses that share `allocationFile` follow one another as
 * `cdktf synth` runs in one repository do: the second reads what the first wrote.
 */
function synthesize(options: EstateOptions, allocationFile: string = freshAllocationFile()): Synthesis {
  const app = build(options, allocationFile);
  const out = synthApp(app);
  const stacks = Object.fromEntries(Object.entries(out).map(([name, s]) => [name, s.json]));
  const entries = synthesizeEntries(stacks);
  const warnings = app.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
  return { stacks, entries, warnings };
}

/** The first syntheses of the "before" versions (most cases start from the base estate). */
const firstSyntheses = new FirstSyntheses((options: EstateOptions, allocationFile: string) => synthesize(options, allocationFile));

/** A connection the estate may carry, named as the evaluator takes it. */
interface Probe {
  readonly from: string;
  readonly to: string;
  readonly port: string;
}

/** Probes over every flow of the estate (and their neighbours), for stack `net` holding the workloads. */
function probes(net: string): Probe[] {
  const w = (name: string) => `${net}/${name}-workload`;
  return [
    { from: '203.0.113.9', to: w('web1'), port: 'tcp/443' },
    { from: w('web1'), to: w('app1'), port: 'tcp/8080' },
    { from: w('web1'), to: w('app1'), port: 'tcp/8081' },
    { from: w('web1'), to: w('app1'), port: 'tcp/8082' },
    { from: w('web1'), to: w('app1'), port: 'tcp/8443' },
    { from: w('app1'), to: w('db1'), port: 'tcp/5432' },
    { from: w('web1'), to: w('db1'), port: 'tcp/9187' },
    { from: w('web1'), to: w('db1'), port: 'tcp/22' },
    { from: '198.51.100.7', to: w('app1'), port: 'tcp/22' },
    { from: '198.51.100.200', to: w('app1'), port: 'tcp/22' },
    { from: '192.0.2.7', to: w('app1'), port: 'tcp/22' },
    { from: w('app1'), to: '203.0.113.50', port: 'tcp/9000' },
    { from: w('app1'), to: '203.0.113.50', port: 'tcp/9100' },
    { from: w('app1'), to: '203.0.113.50', port: 'tcp/9150' },
    { from: '192.0.2.10', to: w('app1'), port: 'tcp/8080' },
    { from: w('app1'), to: '10.0.4.10', port: 'tcp/6379' },
  ];
}

/** The verdict of the network ACL layer alone on a probe, and the ACL entries that decided it. */
function aclVerdict(model: ReturnType<typeof loadTerraformStacks>, probe: Probe): { allowed: boolean; deciding: string[] } {
  const verdict = evaluate(model, probe);
  const points = verdict.paths.flatMap((hostPair) => hostPair.layers).filter((point) => point.layer === 'aws-network-acl');
  return {
    allowed: verdict.paths.length > 0 && points.every((point) => point.status === 'allowed' || point.status === 'skipped'),
    deciding: [...new Set(points.flatMap((point) => point.decidingRules.map((rule) => rule.address)))],
  };
}

/** What applying `after` over `before` does to the network ACL entries. */
interface Impact {
  /** Entries whose address is gone: destroyed, with no order against the creates. */
  readonly destroyed: string[];
  /** Entries at the same address whose attributes change: replaced (every attribute forces it). */
  readonly replaced: string[];
  /** Entries at a new address. */
  readonly created: string[];
  /** Problems of the apply: traffic cut while it stays allowed, numbers taken twice, replacements without create-before-destroy. */
  readonly problems: string[];
}

function impactOf(before: Synthesis, after: Synthesis, net: string): Impact {
  const destroyed = [...before.entries.keys()].filter((a) => !after.entries.has(a)).sort();
  const created = [...after.entries.keys()].filter((a) => !before.entries.has(a)).sort();
  const replaced = [...before.entries.keys()].filter((a) => after.entries.has(a)
    && JSON.stringify(before.entries.get(a)!.attributes) !== JSON.stringify(after.entries.get(a)!.attributes)).sort();
  const problems: string[] = [];
  const numbersBefore = new Map<string, Map<number, string>>();
  for (const entry of before.entries.values()) {
    const list = numbersBefore.get(entry.list) ?? new Map<number, string>();
    list.set(entry.number, entry.address);
    numbersBefore.set(entry.list, list);
  }
  for (const address of replaced) {
    const [old, next] = [before.entries.get(address)!, after.entries.get(address)!];
    if (!next.createBeforeDestroy) problems.push(`${address} is replaced without create_before_destroy`);
    const holder = numbersBefore.get(next.list)?.get(next.number);
    if (holder) problems.push(`${address} is replaced by an entry numbered ${next.number}, which ${holder === address ? 'it holds' : holder} held before (old number ${old.number})`);
  }
  for (const address of created) {
    const entry = after.entries.get(address)!;
    const holder = numbersBefore.get(entry.list)?.get(entry.number);
    if (holder) problems.push(`${address} is created with number ${entry.number}, which ${holder} held before`);
  }
  // the ACLs and their associations stay where they are (their ForceNew attributes unchanged)
  for (const [type, forceNew] of [['aws_network_acl', ['vpc_id']], ['aws_network_acl_association', ['network_acl_id', 'subnet_id']]] as const) {
    for (const [stack, json] of Object.entries<any>(before.stacks)) {
      for (const [name, resource] of Object.entries<any>(json.resource?.[type] ?? {})) {
        const next = after.stacks[stack]?.resource?.[type]?.[name];
        if (!next) problems.push(`${stack}:${type}.${name} is destroyed`);
        else if (forceNew.some((attribute) => JSON.stringify(next[attribute]) !== JSON.stringify(resource[attribute]))) problems.push(`${stack}:${type}.${name} is replaced`);
      }
    }
  }
  // the worst order of the apply: every destroy (and every replacement without create-before-destroy)
  // done, no create yet; traffic allowed before and after must pass there too
  const during = JSON.parse(JSON.stringify(before.stacks));
  for (const address of [...destroyed, ...replaced.filter((a) => !after.entries.get(a)!.createBeforeDestroy)]) {
    const [stack, name] = address.split(':');
    delete during[stack].resource.aws_network_acl_rule[name.replace(/^aws_network_acl_rule\./, '')];
  }
  const [beforeModel, duringModel, afterModel] = [before.stacks, during, after.stacks].map((stacks) => loadTerraformStacks(stacks));
  for (const probe of probes(net)) {
    const was = aclVerdict(beforeModel, probe);
    if (!was.allowed || !aclVerdict(afterModel, probe).allowed || aclVerdict(duringModel, probe).allowed) continue;
    // name the entries that carried it, with the flows their provenance says they served
    const carriers = was.deciding.flatMap((address) => [...destroyed, ...replaced].filter((a) => a.endsWith(`:${address.replace(/^[^:]*:/, '')}`)))
      .map((a) => `${a.split(':')[1]} for ${before.entries.get(a)!.flows.join(', ')}`);
    problems.push(`${probe.from} -> ${probe.to} ${probe.port} stays allowed, but is cut while applying (entries that carried it: ${carriers.join('; ')})`);
  }
  return { destroyed, replaced, created, problems };
}

const TIER_OF: Record<string, string> = { [SUBNETS.web]: 'web', [SUBNETS.app]: 'app', [SUBNETS.db]: 'db', [CACHE_SUBNET]: 'cache' };

/** Entries as `<tier of the ACL's subnet>: in|out <cidr> <protocol> <ports> <action>`, for readable expectations. */
function names(addresses: string[], synthesis: Synthesis): string[] {
  return addresses.map((a) => {
    const e = synthesis.entries.get(a)!;
    const r = e.attributes as any;
    const ports = r.protocol === '6' || r.protocol === '17' ? `${r.from_port}-${r.to_port}` : r.protocol === '1' ? `icmp${r.icmp_type}` : 'all';
    const [stack] = a.split(':');
    const acl = synthesis.stacks[stack].resource.aws_network_acl[String(r.network_acl_id).split('.')[1]];
    const tier = TIER_OF[String(acl.tags.Name).replace(/^microseg-/, '')];
    return `${tier}: ${r.egress ? 'out' : 'in'} ${r.cidr_block ?? r.ipv6_cidr_block} ${r.protocol} ${ports} ${r.rule_action}`;
  }).sort();
}

/** Whether the ACL layer lets `probe` through in `synthesis`. */
function allows(synthesis: Synthesis, probe: Probe): boolean {
  return aclVerdict(loadTerraformStacks(synthesis.stacks), probe).allowed;
}

interface Case {
  readonly name: string;
  readonly before: Partial<EstateOptions>;
  readonly after: Partial<EstateOptions>;
  /** Entries expected destroyed (as `in|out cidr protocol ports action`, from the before synthesis). */
  readonly destroyed: string[];
  /** Entries expected replaced (from the after synthesis). */
  readonly replaced: string[];
  /** Entries expected created (from the after synthesis). */
  readonly created: string[];
  /** Probes (from stack-relative names) that must be allowed after the change, and ones that must be denied. */
  readonly allowedAfter?: Array<[string, string, string]>;
  readonly deniedAfter?: Array<[string, string, string]>;
}

const CASES: Case[] = [
  {
    name: 'add a flow',
    before: {},
    after: { webToDbMetrics: true },
    destroyed: [],
    replaced: [],
    created: ['db: in 10.0.1.0/24 6 9187-9187 allow', 'db: out 10.0.1.0/24 6 1024-65535 allow', 'web: in 10.0.3.0/24 6 1024-65535 allow', 'web: out 10.0.3.0/24 6 9187-9187 allow'],
    allowedAfter: [['web1', 'db1', 'tcp/9187'], ['web1', 'app1', 'tcp/8080']],
  },
  {
    name: 'remove a flow',
    before: { webToDbMetrics: true },
    after: {},
    destroyed: ['db: in 10.0.1.0/24 6 9187-9187 allow', 'db: out 10.0.1.0/24 6 1024-65535 allow', 'web: in 10.0.3.0/24 6 1024-65535 allow', 'web: out 10.0.3.0/24 6 9187-9187 allow'],
    replaced: [],
    created: [],
    deniedAfter: [['web1', 'db1', 'tcp/9187']],
    allowedAfter: [['web1', 'app1', 'tcp/8080']],
  },
  {
    name: 'add an adjacent port as a second flow',
    before: {},
    after: { secondFlow8081: true },
    destroyed: [],
    replaced: [],
    created: ['app: in 10.0.1.0/24 6 8081-8081 allow', 'web: out 10.0.2.0/24 6 8081-8081 allow'],
    allowedAfter: [['web1', 'app1', 'tcp/8080'], ['web1', 'app1', 'tcp/8081']],
  },
  {
    name: 'remove an adjacent port declared as a second flow',
    before: { secondFlow8081: true },
    after: {},
    destroyed: ['app: in 10.0.1.0/24 6 8081-8081 allow', 'web: out 10.0.2.0/24 6 8081-8081 allow'],
    replaced: [],
    created: [],
    allowedAfter: [['web1', 'app1', 'tcp/8080']],
    deniedAfter: [['web1', 'app1', 'tcp/8081']],
  },
  {
    name: 'add an adjacent port as a second port of the same flow',
    before: {},
    after: { webToAppPorts: [Port.tcp(8080), Port.tcp(8081)] },
    destroyed: [],
    replaced: [],
    created: ['app: in 10.0.1.0/24 6 8081-8081 allow', 'web: out 10.0.2.0/24 6 8081-8081 allow'],
    allowedAfter: [['web1', 'app1', 'tcp/8080'], ['web1', 'app1', 'tcp/8081']],
  },
  {
    name: 'remove an adjacent port declared as a second port of the same flow',
    before: { webToAppPorts: [Port.tcp(8080), Port.tcp(8081)] },
    after: {},
    destroyed: ['app: in 10.0.1.0/24 6 8081-8081 allow', 'web: out 10.0.2.0/24 6 8081-8081 allow'],
    replaced: [],
    created: [],
    allowedAfter: [['web1', 'app1', 'tcp/8080']],
    deniedAfter: [['web1', 'app1', 'tcp/8081']],
  },
  {
    name: 'add a wider flow that starts at the same port as an existing one',
    before: {},
    after: { wideFlow: true },
    destroyed: [],
    replaced: [],
    created: ['app: in 10.0.1.0/24 6 8080-8090 allow', 'web: out 10.0.2.0/24 6 8080-8090 allow'],
    allowedAfter: [['web1', 'app1', 'tcp/8080'], ['web1', 'app1', 'tcp/8081']],
  },
  {
    name: 'remove the narrower of two flows that start at the same port',
    before: { wideFlow: true },
    after: { webToAppPorts: [Port.tcp(8443)], wideFlow: true },
    destroyed: ['app: in 10.0.1.0/24 6 8080-8080 allow', 'web: out 10.0.2.0/24 6 8080-8080 allow'],
    replaced: [],
    created: ['app: in 10.0.1.0/24 6 8443-8443 allow', 'web: out 10.0.2.0/24 6 8443-8443 allow'],
    allowedAfter: [['web1', 'app1', 'tcp/8080'], ['web1', 'app1', 'tcp/8081']],
  },
  {
    name: "edit a flow's ports",
    before: {},
    after: { webToAppPorts: [Port.tcp(8443)] },
    destroyed: ['app: in 10.0.1.0/24 6 8080-8080 allow', 'web: out 10.0.2.0/24 6 8080-8080 allow'],
    replaced: [],
    created: ['app: in 10.0.1.0/24 6 8443-8443 allow', 'web: out 10.0.2.0/24 6 8443-8443 allow'],
    allowedAfter: [['web1', 'app1', 'tcp/8443']],
    deniedAfter: [['web1', 'app1', 'tcp/8080']],
  },
  {
    name: 'widen a range',
    before: {},
    after: { batchRange: [9000, 9200] },
    destroyed: [],
    replaced: ['app: out 203.0.113.0/24 6 9000-9200 allow'],
    created: [],
    allowedAfter: [['app1', '203.0.113.50', 'tcp/9100'], ['app1', '203.0.113.50', 'tcp/9150']],
  },
  {
    name: 'shift a range so its first port moves (the ports it keeps are never cut)',
    before: {},
    after: { batchRange: [9050, 9200] },
    destroyed: [],
    replaced: ['app: out 203.0.113.0/24 6 9050-9200 allow'],
    created: [],
    allowedAfter: [['app1', '203.0.113.50', 'tcp/9080'], ['app1', '203.0.113.50', 'tcp/9150']],
    deniedAfter: [['app1', '203.0.113.50', 'tcp/9000']],
  },
  {
    name: 'add a workload in a mapped subnet',
    before: {},
    after: { web2: true },
    destroyed: [],
    replaced: [],
    created: [],
  },
  {
    name: 'add a workload known by its address',
    before: {},
    after: { partner: true },
    destroyed: [],
    replaced: [],
    created: ['app: in 192.0.2.10/32 6 8080-8080 allow', 'app: out 192.0.2.10/32 6 1024-65535 allow'],
    allowedAfter: [['192.0.2.10', 'app1', 'tcp/8080'], ['web1', 'app1', 'tcp/8080']],
  },
  {
    name: 'remove a workload known by its address',
    before: { partner: true },
    after: {},
    destroyed: ['app: in 192.0.2.10/32 6 8080-8080 allow', 'app: out 192.0.2.10/32 6 1024-65535 allow'],
    replaced: [],
    created: [],
    deniedAfter: [['192.0.2.10', 'app1', 'tcp/8080']],
    allowedAfter: [['web1', 'app1', 'tcp/8080']],
  },
  {
    name: 'add a segment',
    before: {},
    after: { cache: true },
    destroyed: [],
    replaced: [],
    created: ['app: in 10.0.4.0/24 6 1024-65535 allow', 'app: out 10.0.4.0/24 6 6379-6379 allow', 'cache: in 10.0.2.0/24 6 6379-6379 allow', 'cache: out 10.0.2.0/24 6 1024-65535 allow'],
    allowedAfter: [['app1', '10.0.4.10', 'tcp/6379']],
  },
  {
    name: 'narrow a CIDR peer (the part that stays is never cut)',
    before: {},
    after: { adminCidr: '198.51.100.0/25' },
    destroyed: [],
    replaced: ['app: in 198.51.100.0/25 6 22-22 allow', 'app: out 198.51.100.0/25 6 1024-65535 allow'],
    created: [],
    allowedAfter: [['198.51.100.7', 'app1', 'tcp/22']],
    deniedAfter: [['198.51.100.200', 'app1', 'tcp/22']],
  },
  {
    name: 'widen a CIDR peer to a network with another address (the part that stays is never cut)',
    before: {},
    after: { adminCidr: '198.51.96.0/21' },
    destroyed: [],
    replaced: ['app: in 198.51.96.0/21 6 22-22 allow', 'app: out 198.51.96.0/21 6 1024-65535 allow'],
    created: [],
    allowedAfter: [['198.51.100.7', 'app1', 'tcp/22'], ['198.51.97.7', 'app1', 'tcp/22']],
  },
  {
    name: 'change a CIDR peer to another network',
    before: {},
    after: { adminCidr: '192.0.2.0/24' },
    destroyed: ['app: in 198.51.100.0/24 6 22-22 allow', 'app: out 198.51.100.0/24 6 1024-65535 allow'],
    replaced: [],
    created: ['app: in 192.0.2.0/24 6 22-22 allow', 'app: out 192.0.2.0/24 6 1024-65535 allow'],
    allowedAfter: [['192.0.2.7', 'app1', 'tcp/22']],
    deniedAfter: [['198.51.100.7', 'app1', 'tcp/22']],
  },
  {
    name: 'rename a segment that keeps its stableId',
    before: { appSegmentStableId: 'app-tier' },
    after: { appSegmentId: 'Api', appSegmentStableId: 'app-tier' },
    destroyed: [],
    replaced: [],
    created: [],
    allowedAfter: [['web1', 'app1', 'tcp/8080'], ['app1', 'db1', 'tcp/5432']],
  },
  {
    name: 'rename a segment without a stableId (ACL entries never carry names)',
    before: {},
    after: { appSegmentId: 'Api' },
    destroyed: [],
    replaced: [],
    created: [],
    allowedAfter: [['web1', 'app1', 'tcp/8080'], ['app1', 'db1', 'tcp/5432']],
  },
  {
    name: "change a segment's description",
    before: {},
    after: { appSegmentDescription: 'the order API' },
    destroyed: [],
    replaced: [],
    created: [],
    allowedAfter: [['web1', 'app1', 'tcp/8080']],
  },
  {
    name: "change a flow's description",
    before: {},
    after: { description: 'web calls the app API (v2)' },
    destroyed: [],
    replaced: [],
    created: [],
  },
  {
    name: 'add a DenyFlow',
    before: {},
    after: { deny: true },
    destroyed: [],
    replaced: [],
    created: ['db: in 10.0.1.0/24 6 22-22 deny', 'web: out 10.0.3.0/24 6 22-22 deny'],
    deniedAfter: [['web1', 'db1', 'tcp/22']],
    allowedAfter: [['web1', 'app1', 'tcp/8080'], ['app1', 'db1', 'tcp/5432']],
  },
];

/** Changes that only the two-stack layout has: who declares a flow. */
const TWO_STACK_CASES: Case[] = [
  {
    name: 'add a workload known by its address, declared in the team stack',
    before: {},
    after: { partner: true, partnerInTeam: true },
    destroyed: [],
    replaced: [],
    created: ['app: in 192.0.2.10/32 6 8080-8080 allow', 'app: out 192.0.2.10/32 6 1024-65535 allow'],
    allowedAfter: [['192.0.2.10', 'app1', 'tcp/8080'], ['web1', 'app1', 'tcp/8080']],
  },
  {
    name: 'remove a workload known by its address, declared in the team stack',
    before: { partner: true, partnerInTeam: true },
    after: {},
    destroyed: ['app: in 192.0.2.10/32 6 8080-8080 allow', 'app: out 192.0.2.10/32 6 1024-65535 allow'],
    replaced: [],
    created: [],
    deniedAfter: [['192.0.2.10', 'app1', 'tcp/8080']],
    allowedAfter: [['web1', 'app1', 'tcp/8080']],
  },
  {
    name: 'declare an existing flow in a second stack',
    before: {},
    after: { duplicateInTeam2: true },
    destroyed: [],
    replaced: [],
    created: [],
    allowedAfter: [['web1', 'app1', 'tcp/8080']],
  },
  {
    name: "move a flow's declaration to another stack",
    before: {},
    after: { webToAppIn: 'team2' },
    destroyed: [],
    replaced: [],
    created: [],
    allowedAfter: [['web1', 'app1', 'tcp/8080']],
  },
  {
    name: 'remove the first of two stacks declaring one flow',
    before: { duplicateInTeam2: true },
    after: { webToAppIn: 'team2' },
    destroyed: [],
    replaced: [],
    created: [],
    allowedAfter: [['web1', 'app1', 'tcp/8080']],
  },
];

describe.each([
  ['one stack', 'one' as const, CASES],
  ['two stacks (flows in a team stack, ACLs in the network stack)', 'two' as const, [...CASES, ...TWO_STACK_CASES]],
])('network ACL change safety: %s', (_title, layout, cases) => {
  const net = layout === 'one' ? 'shop' : 'net';
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // GIVEN the estate before the change, its allocation file committed
    const file = freshAllocationFile();
    const before = firstSyntheses.of({ ...BASE, layout, ...c.before }, file);
    // WHEN the change is applied alone
    const after = synthesize({ ...BASE, layout, ...c.after }, file);
    const impact = impactOf(before, after, net);
    // THEN exactly the expected entries go, are replaced or come
    expect(names(impact.destroyed, before)).toEqual([...c.destroyed].sort());
    expect(names(impact.replaced, after)).toEqual([...c.replaced].sort());
    expect(names(impact.created, after)).toEqual([...c.created].sort());
    // no traffic that stays allowed is cut, no number is taken twice, every replacement creates first
    expect(impact.problems).toEqual([]);
    expect(after.warnings.filter((w) => w.includes('microseg-nacl-entry-window'))).toEqual([]);
    // every entry left alone keeps its address and its number
    for (const [address, entry] of before.entries) {
      if (impact.destroyed.includes(address) || impact.replaced.includes(address)) continue;
      expect({ address, number: after.entries.get(address)!.number }).toEqual({ address, number: entry.number });
    }
    // and the change means what it says
    const w = (name: string) => (/^\d/.test(name) ? name : `${net}/${name}-workload`);
    const verdictOf = (from: string, to: string, port: string) => ({ from, to, port, allowed: allows(after, { from: w(from), to: w(to), port }) });
    for (const [from, to, port] of c.allowedAfter ?? []) expect(verdictOf(from, to, port)).toEqual({ from, to, port, allowed: true });
    for (const [from, to, port] of c.deniedAfter ?? []) expect(verdictOf(from, to, port)).toEqual({ from, to, port, allowed: false });
  });
});

describe('network ACL change safety: replaced entries', () => {
  test('a widened range keeps its address, is created before destroyed, and takes a number its old content never held', () => {
    // GIVEN
    const file = freshAllocationFile();
    const before = synthesize({ ...BASE }, file);
    // WHEN
    const after = synthesize({ ...BASE, batchRange: [9000, 9200] }, file);
    // THEN one address, two contents
    const impact = impactOf(before, after, 'shop');
    expect(impact.replaced).toHaveLength(1);
    const [address] = impact.replaced;
    const [old, next] = [before.entries.get(address)!, after.entries.get(address)!];
    expect(old.attributes).toEqual(expect.objectContaining({ egress: true, protocol: '6', cidr_block: BATCH, from_port: 9000, to_port: 9100, rule_action: 'allow' }));
    expect(next.attributes).toEqual(expect.objectContaining({ egress: true, protocol: '6', cidr_block: BATCH, from_port: 9000, to_port: 9200, rule_action: 'allow' }));
    expect(next.createBeforeDestroy).toBe(true);
    expect(next.number).not.toBe(old.number);
    const sameList = [...before.entries.values()].filter((e) => e.list === old.list).map((e) => e.number);
    expect(sameList).not.toContain(next.number);
  });
});

describe('network ACL change safety: the window that remains', () => {
  test("joining a flow's two ports into one range warns microseg-nacl-entry-window, naming the flow and the traffic that drops", () => {
    // GIVEN a flow on tcp/8080 and tcp/8082: two entries per side
    const file = freshAllocationFile();
    const before = synthesize({ ...BASE, webToAppPorts: [Port.tcp(8080), Port.tcp(8082)] }, file);
    // WHEN its ports become one range: the 8080 entry is replaced in place, the 8082 entry goes
    const after = synthesize({ ...BASE, webToAppPorts: [Port.tcpRange(8080, 8082)] }, file);
    // THEN the 8082 entry's destroy and the range's create (at the 8080 entry's address, created
    // before that one goes) have no order between them: 8082 may drop, and the synth says so (on
    // the ingress side only: web's egress to the app subnet keeps an entry covering 8082 throughout,
    // the return traffic of its own ingress from anywhere)
    const impact = impactOf(before, after, 'shop');
    expect(names(impact.destroyed, before)).toEqual(['app: in 10.0.1.0/24 6 8082-8082 allow', 'web: out 10.0.2.0/24 6 8082-8082 allow']);
    expect(names(impact.replaced, after)).toEqual(['app: in 10.0.1.0/24 6 8080-8082 allow', 'web: out 10.0.2.0/24 6 8080-8082 allow']);
    expect(impact.problems.filter((p) => p.includes('tcp/8082'))).not.toEqual([]);
    expect(after.warnings.filter((w) => w.includes('microseg-nacl-entry-window')).sort()).toEqual([
      "[microseg-nacl-entry-window] AllowFlow 'shop/WebToApp': the ingress network ACL of subnet 10.0.2.0/24 (AwsEnforcement 'shop/Aws') destroys entry allow 10.0.1.0/24 tcp/8082 and creates allow 10.0.1.0/24 tcp/8080-8082 at another address, which Terraform does in no order: traffic both match (10.0.1.0/24 tcp/8082) drops between the two. To avoid it, deploy once with both (keep the old ports or peer in a flow of their own), then remove the old one.",
    ]);
  });

  test('synthesizing twice before applying keeps an adopted address (the allocation file remembers it)', () => {
    // GIVEN a range whose first port moved: the new entry took the old one's address
    const file = freshAllocationFile();
    const before = synthesize({ ...BASE }, file);
    const after = synthesize({ ...BASE, batchRange: [9050, 9200] }, file);
    // WHEN the same program is synthesized again from the file the second synthesis wrote
    const again = synthesize({ ...BASE, batchRange: [9050, 9200] }, file);
    // THEN the entry stays at the address it adopted, with the same number, byte for byte
    expect(impactOf(before, after, 'shop').replaced).toHaveLength(1);
    expect(again.stacks).toEqual(after.stacks);
  });
});

describe('network ACL change safety: rule numbers never move', () => {
  test('adding deny entries one by one never renumbers (so never replaces) an existing one', () => {
    // GIVEN one repository synthesized after each added DenyFlow; numbers hashed from the entries
    // alone (as before the allocation file) would move two existing entries in this sequence
    const key = (n: number) => `deny|cidr:192.0.2.${DENIED_FIRST - n}/32|tcp/22`;
    const hashed = (count: number) => allocateSlots(Array.from({ length: count }, (_, i) => key(i)), { first: 1, last: 99 }).assigned;
    const moves = Array.from({ length: 19 }, (_, i) => i + 1).filter((n) => [...hashed(n)].some(([k, slot]) => hashed(n + 1).get(k) !== slot));
    expect(moves).toEqual([14, 16]);
    const file = freshAllocationFile();
    let previous = synthesize({ ...BASE }, file);
    for (let n = 1; n <= 20; n++) {
      // WHEN one more DenyFlow is declared
      const next = synthesize({ ...BASE, deniedHosts: n }, file);
      // THEN exactly its entry is created, and every entry keeps its address and number
      const impact = impactOf(previous, next, 'shop');
      expect({ n, destroyed: impact.destroyed, replaced: impact.replaced, created: names(impact.created, next), problems: impact.problems })
        .toEqual({ n, destroyed: [], replaced: [], created: [`web: out 192.0.2.${DENIED_FIRST + 1 - n}/32 6 22-22 deny`], problems: [] });
      for (const [address, entry] of previous.entries) {
        expect({ address, number: next.entries.get(address)?.number }).toEqual({ address, number: entry.number });
      }
      previous = next;
    }
    const numbers = [...previous.entries.values()].filter((e) => (e.attributes as any).rule_action === 'deny').map((e) => e.number);
    expect(numbers).toHaveLength(20);
    expect(new Set(numbers).size).toBe(20);
    for (const number of numbers) expect(number >= 1 && number <= 99).toBe(true);
  });

  test('allow entries keep their numbers while flows come and go around them', () => {
    // GIVEN 12 admin hosts, then 4 of them removed, then 6 added back with new ones
    const file = freshAllocationFile();
    const first = synthesize({ ...BASE, adminHosts: 12 }, file);
    const second = synthesize({ ...BASE, adminHosts: 8 }, file);
    const third = synthesize({ ...BASE, adminHosts: 14 }, file);
    // THEN each step only destroys or creates the entries of the hosts it removes or adds
    const removed = impactOf(first, second, 'shop');
    expect({ replaced: removed.replaced, created: removed.created, problems: removed.problems }).toEqual({ replaced: [], created: [], problems: [] });
    expect(removed.destroyed).toHaveLength(8); // 4 hosts, request and return entry each
    const added = impactOf(second, third, 'shop');
    expect({ replaced: added.replaced, destroyed: added.destroyed, problems: added.problems }).toEqual({ replaced: [], destroyed: [], problems: [] });
    expect(added.created).toHaveLength(12);
    for (const [address, entry] of second.entries) {
      expect({ address, number: third.entries.get(address)?.number }).toEqual({ address, number: entry.number });
    }
  });
});

describe('network ACL change safety: an unchanged estate', () => {
  test.each(['one' as const, 'two' as const])('synthesizes identical JSON again from its allocation file and afresh without one (%s stack layout)', (layout) => {
    // GIVEN the estate synthesized once, its allocation file kept
    const file = freshAllocationFile();
    const first = synthesize({ ...BASE, layout, wideFlow: true, deniedHosts: 3 }, file);
    // WHEN synthesized again from the file, and afresh without one
    const again = synthesize({ ...BASE, layout, wideFlow: true, deniedHosts: 3 }, file);
    const fresh = synthesize({ ...BASE, layout, wideFlow: true, deniedHosts: 3 });
    // THEN
    expect(JSON.stringify(again.stacks)).toBe(JSON.stringify(first.stacks));
    expect(JSON.stringify(fresh.stacks)).toBe(JSON.stringify(first.stacks));
  });
});

describe('network ACL change safety: the test sees a cut', () => {
  test('an entry destroyed while its traffic stays allowed is reported', () => {
    // GIVEN the egress entry to the batch network renamed in "after", as a renderer that keyed it by its ports would do
    const before = synthesize({ ...BASE });
    const after = synthesize({ ...BASE });
    const stack = after.stacks.shop;
    const rules = stack.resource.aws_network_acl_rule;
    const [name] = Object.entries<any>(rules).find(([, r]) => r.cidr_block === BATCH && r.egress)!;
    rules[`${name}_renamed`] = { ...rules[name], rule_number: rules[name].rule_number + 1 };
    delete rules[name];
    const renamed = { stacks: after.stacks, entries: synthesizeEntries(after.stacks), warnings: after.warnings };
    // WHEN
    const impact = impactOf(before, renamed, 'shop');
    // THEN
    expect(impact.problems).toEqual([
      `shop/app1-workload -> 203.0.113.50 tcp/9000 stays allowed, but is cut while applying (entries that carried it: aws_network_acl_rule.${name} for shop/AppToBatch)`,
      `shop/app1-workload -> 203.0.113.50 tcp/9100 stays allowed, but is cut while applying (entries that carried it: aws_network_acl_rule.${name} for shop/AppToBatch)`,
    ]);
  });
});

/** The ACL entries of synthesized stacks, by `stack:address`. */
function synthesizeEntries(stacks: Record<string, any>): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const [stack, json] of Object.entries<any>(stacks)) {
    for (const [name, rule] of Object.entries<any>(json.resource?.aws_network_acl_rule ?? {})) {
      const { '//': meta, lifecycle, ...attributes } = rule;
      const address = `${stack}:aws_network_acl_rule.${name}`;
      entries.set(address, {
        address,
        list: `${stack}:${rule.network_acl_id}|${rule.egress ? 'egress' : 'ingress'}`,
        attributes,
        number: rule.rule_number,
        createBeforeDestroy: lifecycle?.create_before_destroy === true,
        flows: meta?.microseg?.flows ?? meta?.microseg?.guardrails ?? [],
      });
    }
  }
  return entries;
}
