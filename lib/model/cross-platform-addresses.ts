import { PlatformCapabilities } from './capabilities';
import { ModelWorkload } from './guardrail-semantics';
import { PolicySide } from './policy-side';

/**
 * The one rule for flows across platforms: each platform renders its half naming the other side's
 * workloads by their addresses, so a managed member of one side without addresses, when the other
 * side has members rendered by another platform, would leave that platform's half out silently.
 * That is an error, whichever direction the flow goes. For a deny only platforms that render deny
 * rules need the addresses (see `PlatformCapabilities.deny`). `platforms` holds the capabilities of
 * every managed platform, by platform name; `advice` may say better than the platform's example how
 * a workload gets addresses (a resource without a fixed address takes its subnets' CIDRs).
 */
export function crossPlatformAddressProblems<W extends ModelWorkload>(
  from: PolicySide<W, any, any>, to: PolicySide<W, any, any>, deny: boolean, platforms: Readonly<Record<string, PlatformCapabilities>>,
  advice: (workload: W) => string | undefined = () => undefined,
): string[] {
  const problems: string[] = [];
  const sides: Array<[PolicySide<W, any, any>, PolicySide<W, any, any>]> = [[from, to], [to, from]];
  for (const [side, other] of sides) {
    if (side.segment === undefined || other.segment === undefined) continue;
    const otherPlatforms = [...new Set(other.members.map((m) => m.workload.platform))]
      .filter((p) => p in platforms && (!deny || platforms[p].deny))
      .sort();
    for (const { workload } of side.members) {
      if (!(workload.platform in platforms) || workload.addressCidrs.length > 0) continue;
      const renderers = otherPlatforms.filter((p) => p !== workload.platform);
      if (renderers.length === 0) continue;
      const problem = `needs the addresses of workload '${workload.endpointName}' (${workload.platform}) for the ${renderers.join(' and ')} rules of its other side, but it has none. ${advice(workload) ?? `Give the workload addresses, for example addresses: [${platforms[workload.platform].addressExample}].`}`;
      if (!problems.includes(problem)) problems.push(problem);
    }
  }
  return problems;
}
