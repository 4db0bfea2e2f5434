import { Segment } from '../segment';
import { RenderedFlow } from './flow-problems';

/** The flows that name each segment on either side, so a membership change re-renders them. */
export class SegmentFlows<F extends RenderedFlow = RenderedFlow> {
  private readonly bySegment = new Map<Segment, Set<F>>();

  /** Indexes a flow under its source and destination segments. */
  public add(flow: F): void {
    for (const segment of [flow.fromSegment, flow.toSegment]) {
      if (!segment) continue;
      if (!this.bySegment.has(segment)) this.bySegment.set(segment, new Set());
      this.bySegment.get(segment)!.add(flow);
    }
  }

  /** The flows that name `segment`, in the order they were added. */
  public of(segment: Segment): Iterable<F> {
    return this.bySegment.get(segment) ?? [];
  }
}
