import { TerraformResource } from 'cdktf';
import { DenyFlow } from '../deny-flow';
import { RenderedFlow } from './flow-problems';
import { grantsOverlapping } from './guardrail-sides';
import { compare, PolicyRegistry } from '../registry';

/** The GuardrailAllows that carve exceptions from a DenyFlow (`grantsOverlapping`), each DenyFlow looked up once: for one ordering pass of a renderer. */
export function exceptionsOf(registry: PolicyRegistry): (deny: DenyFlow) => ReadonlySet<RenderedFlow> {
  const found = new Map<DenyFlow, ReadonlySet<RenderedFlow>>();
  return (deny) => {
    let grants = found.get(deny);
    if (!grants) {
      grants = new Set(grantsOverlapping(registry, deny));
      found.set(deny, grants);
    }
    return grants;
  };
}

/**
 * Makes a guardrail-deny rule wait for the allow rules that carve exceptions from it: Terraform
 * then creates them before it and destroys them after it, so the excepted flow never drops while
 * the apply runs. Rules removed from the construct tree are left out. A rule that never needed an
 * order keeps no `depends_on` key (its synthesized JSON unchanged); one that did is cleared.
 */
export function dependOnAllows(deny: TerraformResource, allows: readonly TerraformResource[]): void {
  const addresses = [...new Set(allows
    .filter(inTree)
    .map((allow) => `${allow.terraformResourceType}.${allow.friendlyUniqueId}`))].sort(compare);
  if (addresses.length > 0 || deny.dependsOn !== undefined) deny.dependsOn = addresses.length > 0 ? addresses : undefined;
}

/** Whether a resource is still a child of its scope (not removed by a renderer). */
export function inTree(resource: TerraformResource): boolean {
  return resource.node.scope?.node.tryFindChild(resource.node.id) === resource;
}
