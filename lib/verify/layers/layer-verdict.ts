import { Host } from '../estate/host';
import { Traffic, isNoTraffic } from '../net/traffic';

/**
 * The id of an enforcement layer, as its platform declares it (`aws-security-group`,
 * `aws-network-acl`, `azure-nsg`, `nsx-dfw` today).
 */
export type LayerId = string;

/** A rule that decided (part of) a verdict at one enforcement point. */
export interface DecidingRule {
  /** Terraform address of the rule (with `[n]` for inline blocks), or a platform default's name. */
  readonly address: string;
  /** The construct path recorded in the rule's metadata. */
  readonly constructPath?: string;
  /** AllowFlow construct paths the library recorded on the rule. */
  readonly flows: readonly string[];
  /** Guardrail construct paths the library recorded on a deny rule, if any. */
  readonly guardrails?: readonly string[];
  /** What the rule says, in one line (`allow tcp/443 from 0.0.0.0/0`). */
  readonly summary: string;
}

/** How an enforcement point treated the queried traffic. */
export type PointStatus = 'allowed' | 'denied' | 'unknown' | 'skipped';

/** The verdict of one enforcement point (one layer, one direction, one side) on one path. */
export interface LayerVerdict {
  /** The layer. */
  readonly layer: LayerId;
  /** Where it is enforced (`egress of app/Web`, `ingress of network ACL aws_network_acl.db`). */
  readonly point: string;
  /** Whether all of the queried traffic passes here (true for a skipped point). */
  readonly allowed: boolean;
  /** Allowed, denied (some or all traffic stops here), unknown (the JSON cannot tell) or skipped (not on the path). */
  readonly status: PointStatus;
  /** The rules that decided, in evaluation order. */
  readonly decidingRules: readonly DecidingRule[];
  /** Why, in one sentence. */
  readonly reason: string;
  /** The part of the queried traffic that passes here. */
  readonly allowedTraffic: Traffic;
}

/** What an enforcement point lets through, without its explanation (reason, deciding rules). */
export type PointPass = Pick<LayerVerdict, 'status' | 'allowedTraffic'>;

/** One enforcement layer: evaluates a flow between two hosts into per-point verdicts (empty when not on the path). */
export interface Layer {
  /** The layer. */
  readonly id: LayerId;
  /** Whether the Terraform JSON holds any resource of this layer. */
  readonly present: boolean;
  /** The verdicts of the points this layer has on the path from `source` to `destination`. */
  evaluate(source: Host, destination: Host, query: Traffic): LayerVerdict[];
  /**
   * The verdict-only form of `evaluate` (the matrix asks it for every cell): the same points with the
   * same status and allowed traffic, without building reasons or collecting deciding rules. It may
   * end after a point that {@link stopsEverything}: what follows cannot change what passes.
   * @default the status and allowed traffic of `evaluate`'s verdicts
   */
  passes?(source: Host, destination: Host, query: Traffic): PointPass[];
}

/** Whether a point on the path lets nothing through and enforces (is not skipped): later points cannot change what the path passes. */
export function stopsEverything(point: PointPass): boolean {
  return point.status !== 'skipped' && isNoTraffic(point.allowedTraffic);
}
