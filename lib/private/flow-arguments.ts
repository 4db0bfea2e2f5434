import type { IFlowEndpoint } from '../endpoint';
import type { Port } from '../port';

/**
 * Fails on a port list that languages other than TypeScript can pass where the types forbid it
 * (null or undefined for the list, or inside it), naming `where` and the argument, before anything
 * is declared. `where` is worked out only for the error: a construct path is joined anew on each read.
 */
export function checkPortList(where: () => string, ports: readonly Port[] | null | undefined): asserts ports is readonly Port[] {
  if (!Array.isArray(ports)) {
    throw new Error(`${where()}: ports is ${String(ports)}, not a list. Pass at least one Port, for example [Port.HTTPS].`);
  }
  const bad = ports.findIndex((port) => typeof (port as { _toSpec?: unknown } | null | undefined)?._toSpec !== 'function');
  if (bad >= 0) throw new Error(`${where()}: port ${bad + 1} is ${String(ports[bad])}, not a Port. Pass Ports, for example Port.HTTPS.`);
}

/**
 * Fails on a missing endpoint (null or undefined, which languages other than TypeScript can pass
 * where the types forbid it), naming `where` (worked out only for the error), the argument and the
 * side it stands for.
 */
export function checkEndpoint(where: () => string, argument: string, side: 'source' | 'destination', endpoint: IFlowEndpoint | null | undefined): void {
  if (endpoint === undefined || endpoint === null) {
    throw new Error(`${where()}: ${argument} is ${String(endpoint)}. Pass the ${side}: a Segment, a Workload or a Peer (for example Peer.ipv4('10.0.0.0/8')).`);
  }
}
