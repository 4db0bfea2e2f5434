/* eslint-disable @typescript-eslint/no-require-imports -- loading a renderer (and its provider package) only when an app renders is the point */
import type { RendererFactory } from '../registry';

/**
 * Every renderer the library has, in rendering order: adding a platform is one line here and a
 * folder of its own. Each entry loads its module only when an app is rendered, so importing the
 * package loads no renderer (and, through it, no provider package) by itself.
 */
const PLATFORM_RENDERERS: ReadonlyArray<() => RendererFactory> = [
  () => (registry) => new (require('../aws/security-group-renderer').SecurityGroupRenderer)(registry),
  () => (registry) => new (require('../aws/network-acl-renderer').NetworkAclRenderer)(registry),
  () => (registry) => new (require('../aws/guardrail-renderer').GuardrailRenderer)(registry),
  () => (registry) => new (require('../azure/nsg-renderer').NsgRenderer)(registry),
  () => (registry) => new (require('../vsphere/nsx-renderer').NsxRenderer)(registry),
  () => () => new (require('./external-workload-renderer').ExternalWorkloadRenderer)(),
  () => (registry) => new (require('./cross-platform-addresses').CrossPlatformAddressCheck)(registry),
];

/** The renderer factories of every platform, in rendering order. */
export function platformRenderers(): RendererFactory[] {
  return PLATFORM_RENDERERS.map((load) => load());
}
