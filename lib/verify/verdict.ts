import { LayerVerdict } from './layers/layer-verdict';
import { Traffic } from './net/traffic';

/** The verdict on one pair of hosts (an endpoint may stand for several hosts). */
export interface PathVerdict {
  /** The source host. */
  readonly from: string;
  /** The destination host. */
  readonly to: string;
  /** Whether all of the queried traffic passes every layer. */
  readonly allowed: boolean;
  /** `allowed`, `denied` (a layer stops some traffic) or `unknown` (the JSON cannot tell). */
  readonly status: 'allowed' | 'denied' | 'unknown';
  /** Every enforcement point on the path, in path order per layer. */
  readonly layers: readonly LayerVerdict[];
  /** The part of the queried traffic that passes every point. */
  readonly allowedTraffic: Traffic;
  /** Whether any enforcement point is on the path (false: nothing in the JSON filters it). */
  readonly enforced: boolean;
}

/** The explained answer to "may `from` reach `to` on `port`?". */
export interface Verdict {
  /** The source endpoint's name. */
  readonly from: string;
  /** The destination endpoint's name. */
  readonly to: string;
  /** The queried port (`tcp/5432`). */
  readonly port: string;
  /** True when every host pair passes all of the queried traffic. */
  readonly allowed: boolean;
  /** True when no host pair passes any of the queried traffic and nothing is unknown. */
  readonly denied: boolean;
  /** The enforcement points of the deciding path (the first path that is not allowed, else the first path). */
  readonly layers: readonly LayerVerdict[];
  /** Every host pair's verdict. */
  readonly paths: readonly PathVerdict[];
}
