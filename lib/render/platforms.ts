/* eslint-disable @typescript-eslint/no-require-imports -- loading a renderer (and its provider package) only when an app renders is the point */
import type { TerraformStack } from 'cdktf';
import { Platform } from '../platform';
import type { PolicyRegistry, RendererFactory } from '../registry';

/** The renderers of one platform, loaded only when an app uses that platform. */
interface PlatformEntry {
  /** The entry's name, by which the registry remembers that it loaded it. */
  readonly name: string;
  /** Whether the app uses the platform: a workload bound to it, or its enforcement in a stack. */
  readonly uses: (registry: PolicyRegistry) => boolean;
  /** Loads the modules (and through them the platform's provider package) and gives the factories. */
  readonly load: () => RendererFactory[];
}

/**
 * Every renderer the library has, in rendering order: adding a platform is one entry here and a
 * folder of its own. An entry's modules load only when an app that uses the platform is rendered,
 * so importing the package loads no renderer (and no provider package), and an app of one platform
 * loads only that platform's provider.
 */
const PLATFORMS: ReadonlyArray<PlatformEntry> = [
  {
    name: 'aws',
    uses: (registry) => usesPlatform(registry, Platform.AWS, (stack) => (require('../aws/enforcement') as typeof import('../aws/enforcement')).AwsEnforcement.of(stack)),
    load: () => [
      (registry) => new (require('../aws/security-group-renderer').SecurityGroupRenderer)(registry),
      (registry) => new (require('../aws/network-acl-renderer').NetworkAclRenderer)(registry),
      (registry) => new (require('../aws/guardrail-renderer').GuardrailRenderer)(registry),
    ],
  },
  {
    name: 'azure',
    uses: (registry) => usesPlatform(registry, Platform.AZURE, (stack) => (require('../azure/enforcement') as typeof import('../azure/enforcement')).AzureEnforcement.of(stack)),
    load: () => [(registry) => new (require('../azure/nsg-renderer').NsgRenderer)(registry)],
  },
  {
    name: 'nsx',
    uses: (registry) => usesPlatform(registry, Platform.NSX, (stack) => (require('../vsphere/enforcement') as typeof import('../vsphere/enforcement')).NsxEnforcement.of(stack)),
    load: () => [(registry) => new (require('../vsphere/nsx-renderer').NsxRenderer)(registry)],
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
