import { PolicyRegistry } from '../registry';
import type { NsxEnforcement } from './enforcement';

const LISTENERS = new WeakMap<PolicyRegistry, (enforcement: NsxEnforcement) => void>();
const DECLARED = new WeakMap<PolicyRegistry, NsxEnforcement[]>();

/**
 * Registers the NSX renderer of an app to hear about enforcements, replaying those declared
 * before it existed (the registry creates its renderers on its first event). The NSX enforcement
 * does not go through `PolicyRegistry.addEnforcement`, because other renderers' `onEnforcement`
 * assume their own enforcement exists in the stack.
 */
export function onNsxEnforcement(registry: PolicyRegistry, listener: (enforcement: NsxEnforcement) => void): void {
  LISTENERS.set(registry, listener);
  for (const enforcement of DECLARED.get(registry) ?? []) listener(enforcement);
}

/** Tells the app's NSX renderer (now, or when it is created) that an enforcement was declared. */
export function announceNsxEnforcement(enforcement: NsxEnforcement): void {
  const registry = PolicyRegistry.of(enforcement);
  DECLARED.set(registry, [...(DECLARED.get(registry) ?? []), enforcement]);
  LISTENERS.get(registry)?.(enforcement);
}
