/* eslint-disable @typescript-eslint/no-require-imports -- loading a renderer (and its provider package) only when an app renders is the point */
import type { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { PlatformCapabilities } from '../model/capabilities';
import { Platform } from '../platform';
import { loadOnce } from '../private/load-once';
import type { PolicyRegistry, RendererFactory } from '../registry';

/** The renderers of one platform, loaded only when an app uses that platform. */
interface PlatformEntry {
  /** The entry's name, by which the registry remembers that it loaded it. */
  readonly name: string;
  /** Whether the app uses the platform: a workload bound to it, or its enforcement in a stack. */
  readonly uses: (registry: PolicyRegistry) => boolean;
  /** Loads the modules (and through them the platform's provider package) and gives the factories. */
  readonly load: () => RendererFactory[];
  /** The platform of its workloads, for the policy model. */
  readonly platform?: Platform;
  /** The enforcement of the platform in the stack of `scope` (loads no provider package). */
  readonly enforcementOf?: (scope: IConstruct) => IConstruct | undefined;
  /** What the platform's workload rules can express (loads no provider package). */
  readonly capabilities?: () => PlatformCapabilities;
}

/** `of(scope)` of a platform's enforcement class, the class required on first use and kept (this lookup runs once per workload). */
function enforcementLookup(load: () => { of(scope: IConstruct): IConstruct | undefined }): (scope: IConstruct) => IConstruct | undefined {
  const enforcement = loadOnce(load);
  return (scope) => enforcement().of(scope);
}

const awsEnforcementOf = enforcementLookup(() => (require('../aws/enforcement') as typeof import('../aws/enforcement')).AwsEnforcement);
const azureEnforcementOf = enforcementLookup(() => (require('../azure/enforcement') as typeof import('../azure/enforcement')).AzureEnforcement);
const nsxEnforcementOf = enforcementLookup(() => (require('../vsphere/enforcement') as typeof import('../vsphere/enforcement')).NsxEnforcement);
const kubernetesEnforcementOf = enforcementLookup(() => (require('../kubernetes/enforcement') as typeof import('../kubernetes/enforcement')).KubernetesEnforcement);
const gcpEnforcementOf = enforcementLookup(() => (require('../gcp/enforcement') as typeof import('../gcp/enforcement')).GcpEnforcement);

/**
 * Every renderer the library has, in rendering order: adding a platform is one entry here and a
 * folder of its own. An entry's modules load only when an app that uses the platform is rendered,
 * so importing the package loads no renderer (and no provider package), and an app of one platform
 * loads only that platform's provider.
 */
const PLATFORMS: ReadonlyArray<PlatformEntry> = [
  {
    name: 'aws',
    uses: (registry) => usesPlatform(registry, Platform.AWS, awsEnforcementOf),
    load: () => [
      (registry) => new (require('../aws/security-group-renderer').SecurityGroupRenderer)(registry),
      // the guardrail renderer plans the deny entries the network ACL renderer then numbers (both in onRendered)
      (registry) => new (require('../aws/guardrail-renderer').GuardrailRenderer)(registry),
      (registry) => new (require('../aws/network-acl-renderer').NetworkAclRenderer)(registry),
    ],
    platform: Platform.AWS,
    enforcementOf: awsEnforcementOf,
    capabilities: () => (require('../aws/capabilities') as typeof import('../aws/capabilities')).SECURITY_GROUP_CAPABILITIES,
  },
  {
    name: 'azure',
    uses: (registry) => usesPlatform(registry, Platform.AZURE, azureEnforcementOf),
    load: () => [(registry) => new (require('../azure/nsg-renderer').NsgRenderer)(registry)],
    platform: Platform.AZURE,
    enforcementOf: azureEnforcementOf,
    capabilities: () => (require('../azure/capabilities') as typeof import('../azure/capabilities')).NSG_CAPABILITIES,
  },
  {
    name: 'nsx',
    uses: (registry) => usesPlatform(registry, Platform.NSX, nsxEnforcementOf),
    load: () => [(registry) => new (require('../vsphere/nsx-renderer').NsxRenderer)(registry)],
    platform: Platform.NSX,
    enforcementOf: nsxEnforcementOf,
    capabilities: () => (require('../vsphere/capabilities') as typeof import('../vsphere/capabilities')).NSX_CAPABILITIES,
  },
  {
    name: 'kubernetes',
    uses: (registry) => usesPlatform(registry, Platform.KUBERNETES, kubernetesEnforcementOf),
    load: () => [(registry) => new (require('../kubernetes/network-policy-renderer').NetworkPolicyRenderer)(registry)],
  },
  {
    name: 'gcp',
    uses: (registry) => usesPlatform(registry, Platform.GCP, gcpEnforcementOf),
    load: () => [(registry) => new (require('../gcp/firewall-policy-renderer').FirewallPolicyRenderer)(registry)],
    platform: Platform.GCP,
    enforcementOf: gcpEnforcementOf,
    capabilities: () => (require('../gcp/capabilities') as typeof import('../gcp/capabilities')).GCP_FIREWALL_POLICY_CAPABILITIES,
  },
  {
    name: 'host',
    uses: (registry) => (require('../host/host-platform-use') as typeof import('../host/host-platform-use')).usesHostFirewalls(registry),
    load: () => [(registry) => new (require('../host/host-renderer').HostFirewallRenderer)(registry)],
  },
  {
    name: 'external',
    uses: () => true,
    load: () => [
      () => new (require('./external-workload-renderer').ExternalWorkloadRenderer)(),
      (registry) => new (require('./cross-platform-addresses').CrossPlatformAddressCheck)(registry),
      (registry) => new (require('./guardrail-exception-width').GuardrailExceptionWidthCheck)(registry),
    ],
  },
];

/**
 * The renderer factories of the platforms the app uses that are not in `loaded` yet, in rendering
 * order; adds their names to `loaded`.
 */
export function platformRenderers(registry: PolicyRegistry, loaded: Set<string>): RendererFactory[] {
  const factories: RendererFactory[] = [];
  for (const entry of PLATFORMS) {
    if (loaded.has(entry.name) || !entry.uses(registry)) continue;
    loaded.add(entry.name);
    factories.push(...entry.load());
  }
  return factories;
}

function usesPlatform(registry: PolicyRegistry, platform: Platform, enforcementOf: (stack: TerraformStack) => unknown): boolean {
  return registry.workloads.some((workload) => workload.platform === platform)
    || registry.enforcementStacks.some((stack) => enforcementOf(stack) !== undefined);
}

/** What the policy model needs of a managed platform: how to find its enforcement, and what it can express. */
export interface ManagedPlatform {
  /** The enforcement of the platform in the stack of `scope`. */
  readonly enforcementOf: (scope: IConstruct) => IConstruct | undefined;
  /** What the platform's workload rules can express. */
  readonly capabilities: () => PlatformCapabilities;
}

/** Every managed platform, by platform name (loads no provider package). */
export function managedPlatforms(): Map<string, ManagedPlatform> {
  const out = new Map<string, ManagedPlatform>();
  for (const entry of PLATFORMS) {
    if (!entry.platform || !entry.enforcementOf || !entry.capabilities) continue;
    out.set(entry.platform, { enforcementOf: entry.enforcementOf, capabilities: entry.capabilities });
  }
  return out;
}
