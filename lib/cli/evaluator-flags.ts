import { VerifyInputError } from '../verify/errors';
import { EvaluateOptions } from '../verify/evaluate';
import { parseCidr } from '../verify/net/cidr';
import { parsePortRange } from '../verify/net/interval-set';

/** Evaluator settings shared by the commands. */
export interface EvaluatorFlags {
  /** Client ephemeral port range, `32768-60999`. */
  readonly ephemeralPorts?: string;
  /** Extra address spaces of Azure's `VirtualNetwork` tag. */
  readonly vnet?: readonly string[];
}

/** The evaluator options the flags ask for; throws {@link VerifyInputError} on malformed values. */
export function evaluateOptionsOf(flags: EvaluatorFlags): EvaluateOptions {
  for (const space of flags.vnet ?? []) {
    if (!parseCidr(space)) throw new VerifyInputError(`--vnet "${space}" is not a CIDR`);
  }
  return { ephemeralPorts: flags.ephemeralPorts === undefined ? undefined : parseRange(flags.ephemeralPorts), vnetAddressSpaces: flags.vnet };
}

function parseRange(text: string): [number, number] {
  const range = parsePortRange(text);
  if (!range) throw new VerifyInputError(`--ephemeral-ports "${text}" is not a port range such as 32768-60999`);
  return [range[0], range[1]];
}
