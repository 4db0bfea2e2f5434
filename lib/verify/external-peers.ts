import { Endpoint, resolveEndpoint } from './estate/endpoints';
import { Estate } from './estate/estate';
import { isSymbolicText, textOf } from './model/value';
import { parseCidr } from './net/cidr';
import { PLATFORMS } from './platforms/registry';

/**
 * The outside peers the platforms' rules name (CIDRs, prefix lists, service tags), as endpoints,
 * sorted. Addresses of the inventory's own workloads are left out: they are segment members.
 */
export function externalPeers(estate: Estate): Endpoint[] {
  const ownAddresses = new Set([...estate.inventory.workloads.values()].flatMap((workload) => workload.addresses.map(textOf)));
  const isOwn = (text: string) => ownAddresses.has(text) || ownAddresses.has(text.replace(/\/(32|128)$/, ''));
  return [...new Set(PLATFORMS.all.flatMap((platform) => platform.ruleAddressTexts(estate)))]
    .filter((text) => !isOwn(text) && !isSymbolicText(text))
    .sort()
    .map((text) => endpointOfRuleText(text))
    .filter((input): input is string => input !== undefined)
    .map((input) => resolveEndpoint(estate, input));
}

/** The endpoint a rule's address text stands for: a CIDR as it is, else the first platform's name syntax that claims it. */
function endpointOfRuleText(text: string): string | undefined {
  if (parseCidr(text)) return text;
  for (const syntax of PLATFORMS.namedPeers) {
    const endpoint = syntax.endpointOfRuleText(text);
    if (endpoint !== undefined) return endpoint;
  }
  return undefined;
}
