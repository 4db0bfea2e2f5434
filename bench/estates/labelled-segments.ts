import { Construct } from 'constructs';
import { Peer, Port, Segment } from '../../lib';
import { pick } from '../random';

/** The labels of a workload (or the selector of a segment) numbered `s`: ten tiers per app. */
export function appTierLabels(s: number): Record<string, string> {
  return { app: `app${Math.floor(s / 10)}`, tier: `tier${s % 10}` };
}

/** `count` segments selecting workloads by app and tier (see {@link appTierLabels}). */
export function appTierSegments(scope: Construct, count: number): Segment[] {
  return Array.from({ length: count }, (_, i) => new Segment(scope, `Seg${i}`, { selector: appTierLabels(i) }));
}

/**
 * `count` flows between random segment pairs on random ports, one in ten from an external /16,
 * drawn from `next` in a fixed order so every run declares the same flows.
 */
export function randomSegmentFlows(segments: readonly Segment[], count: number, next: () => number): void {
  for (let i = 0; i < count; i++) {
    const to = segments[pick(next, segments.length)];
    const port = Port.tcp(1024 + pick(next, 2000));
    if (i % 10 === 0) {
      to.allowFrom(Peer.ipv4(`10.${pick(next, 250)}.0.0/16`), port);
    } else {
      to.allowFrom(segments[pick(next, segments.length)], port);
    }
  }
}
