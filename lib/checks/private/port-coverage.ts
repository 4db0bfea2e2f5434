import { coversPort, hasPorts, mergePortSpecs, PortSpec } from '../../model/ports';
import { Port } from '../../port';

/** A well-known port a rule looks for. */
export interface NamedPort {
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  readonly name: string;
}

/** A port of a flow that includes a well-known port. */
export interface PortHit {
  readonly port: Port;
  readonly target: NamedPort;
}

/** Every (flow port, target) pair where the flow port's range includes the target. */
export function portHits(ports: readonly Port[], targets: readonly NamedPort[]): PortHit[] {
  const hits: PortHit[] = [];
  for (const port of ports) {
    for (const target of targets) {
      if (coversPort(port._toSpec(), target.protocol, target.port)) hits.push({ port, target });
    }
  }
  return hits;
}

/**
 * Whether the ports, together, allow every port of `protocol`. Port 0 is reserved (no service
 * listens on it), so 1-65535 counts as every port.
 */
export function coversEveryPort(ports: readonly Port[], protocol: 'tcp' | 'udp'): boolean {
  return mergePortSpecs(ports.map((p) => p._toSpec())).some((s) => s.protocol === 'all' || (s.protocol === protocol && s.from <= 1 && s.to === 65535));
}

/** Whether the ports, together, allow every protocol and port (all traffic, or all TCP and all UDP). */
export function coversAllTraffic(ports: readonly Port[]): boolean {
  return ports.some((p) => p._toSpec().protocol === 'all') || (coversEveryPort(ports, 'tcp') && coversEveryPort(ports, 'udp'));
}

/** Whether everything `inner` allows is allowed by `outer` (each inner port within one merged outer range). */
export function portsCover(outer: readonly Port[], inner: readonly Port[]): boolean {
  const merged = mergePortSpecs(outer.map((p) => p._toSpec()));
  return inner.every((port) => merged.some((o) => specCovers(o, port._toSpec())));
}

function specCovers(outer: PortSpec, inner: PortSpec): boolean {
  if (outer.protocol === 'all') return true;
  if (outer.protocol !== inner.protocol) return false;
  if (hasPorts(inner.protocol)) return outer.from <= inner.from && inner.to <= outer.to;
  if (outer.from === -1) return true;
  if (outer.from !== inner.from) return false;
  return outer.to === -1 || outer.to === inner.to;
}

