import { TerraformStack } from 'cdktf';
import { MergedRule, PortContribution } from './rule-bucket';
import { PortSpec } from '../model/ports';
import { compare, stackOf } from '../registry';
import { RenderedFlow } from './flow-problems';
import { pathOf } from '../private/path-of';

/** The rules of one group, direction and remote side, whose ports merge across the flows that ask for them. */
export interface FlowBucket<F extends RenderedFlow> {
  /** Identity of the bucket (group, direction, remote side). */
  readonly key: string;
  /** What each flow asks of the bucket. */
  readonly byFlow: Map<F, readonly PortContribution[]>;
}

/** How {@link FlowBuckets} creates a bucket and brings its rendered rules up to date. */
export interface FlowBucketsOptions<D, B> {
  /** A new, empty bucket from its definition. */
  readonly create: (definition: D) => B;
  /** Brings the bucket's rendered rules in line with what its flows ask for now. */
  readonly reconcile: (bucket: B) => void;
}

/**
 * The rule buckets of a renderer and which buckets each flow contributes to. Rendering a flow
 * again touches only the buckets it enters or leaves, so the rules of other buckets (their
 * identities, hence their Terraform addresses) never move.
 */
export class FlowBuckets<F extends RenderedFlow, D extends { readonly key: string }, B extends FlowBucket<F>> {
  private readonly buckets = new Map<string, B>();
  /** The keys of the buckets each flow is in: an array, not a set (most flows are in two buckets, and a set costs several times as much). */
  private readonly flowKeys = new Map<F, readonly string[]>();

  /** Creates an empty set of buckets. */
  public constructor(private readonly options: FlowBucketsOptions<D, B>) {}

  /** Every bucket so far, in creation order. */
  public values(): IterableIterator<B> {
    return this.buckets.values();
  }

  /** How many buckets flows have created so far. */
  public get size(): number {
    return this.buckets.size;
  }

  /** The buckets `flow` contributes to now, in the order it entered them. */
  public bucketsOf(flow: F): B[] {
    return (this.flowKeys.get(flow) ?? []).map((key) => this.buckets.get(key)!);
  }

  /** The bucket with `key`, if a flow created it. */
  public get(key: string): B | undefined {
    return this.buckets.get(key);
  }

  /**
   * Makes `flow` contribute `specs` to exactly the buckets in `wanted` (by key): it leaves the
   * buckets it no longer reaches, enters the new ones (created on first use), and every bucket it
   * leaves or enters is reconciled. A flow's ports never change, so a bucket it stays in is not.
   */
  public update(flow: F, wanted: ReadonlyMap<string, D>, specs: readonly PortSpec[]): void {
    const before = this.flowKeys.get(flow) ?? [];
    // a flow in many buckets (a peer per member address) is looked up through a set
    const stays: { has(key: string): boolean } = before.length > 8 ? new Set(before) : { has: (key) => before.includes(key) };
    for (const key of before) {
      if (wanted.has(key)) continue;
      const bucket = this.buckets.get(key)!;
      bucket.byFlow.delete(flow);
      this.options.reconcile(bucket);
    }
    let contributions: readonly PortContribution[] | undefined; // the same for every bucket the flow enters: made once
    for (const [key, definition] of wanted) {
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = this.options.create(definition);
        this.buckets.set(key, bucket);
      }
      if (stays.has(key)) continue; // the flow's ports never change: nothing new here
      contributions ??= specs.map((spec) => ({ spec, flow: pathOf(flow) }));
      bucket.byFlow.set(flow, contributions);
      this.options.reconcile(bucket);
    }
    if (wanted.size > 0) this.flowKeys.set(flow, [...wanted.keys()]);
    else this.flowKeys.delete(flow); // a flow that reaches no bucket keeps no set
  }
}

/** The stack that holds a merged rule of a bucket: that of the first (by construct path) flow it serves. */
export function ownerStack<F extends RenderedFlow>(bucket: FlowBucket<F>, rule: MergedRule): TerraformStack {
  const flows = [...bucket.byFlow.keys()].filter((f) => rule.flows.includes(pathOf(f)));
  flows.sort((a, b) => compare(pathOf(a), pathOf(b)));
  return stackOf(flows[0]);
}
