import { appendTo } from '../private/multimap';
import type { Segment } from '../segment';
import type { Workload } from '../workload';

/** The segments and workloads of one selector shape (one set of label keys), by their values of those keys. */
interface Shape {
  readonly keys: readonly string[];
  readonly segments: Map<string, Segment[]>;
  readonly workloads: Map<string, Workload[]>;
}

/**
 * Finds the segments whose label selector a workload may match, and the reverse, without testing
 * every pair: a selector matches exactly the workloads whose labels have its values for its keys,
 * so segments are indexed by their selector's values and workloads by their values of each set of
 * keys some selector uses (an app has few: `app` and `tier`, say). Each lookup is one per such set.
 * The candidates it returns are a superset of the matches (values are compared as text); the
 * caller still asks the segment.
 */
export class SelectorIndex {
  /** Shapes by their sorted keys. */
  private readonly shapes = new Map<string, Shape>();

  /** Indexes a segment; returns the workloads among `workloads` (every one so far) it may select. */
  public addSegment(segment: Segment, workloads: readonly Workload[]): readonly Workload[] {
    const keys = Object.keys(segment.selector).sort();
    if (keys.length === 0) return [];
    const shapeKey = JSON.stringify(keys);
    let shape = this.shapes.get(shapeKey);
    if (!shape) {
      // a new set of keys: the workloads so far are indexed by it once
      shape = { keys, segments: new Map(), workloads: new Map() };
      this.shapes.set(shapeKey, shape);
      for (const workload of workloads) {
        appendTo(shape.workloads, valuesOf(shape.keys, workload.labels), workload);
      }
    }
    const values = valuesOf(keys, segment.selector);
    appendTo(shape.segments, values, segment);
    return shape.workloads.get(values) ?? [];
  }

  /** Indexes a workload; returns the segments so far whose selector it may match. */
  public addWorkload(workload: Workload): Segment[] {
    const candidates: Segment[] = [];
    for (const shape of this.shapes.values()) {
      const values = valuesOf(shape.keys, workload.labels);
      appendTo(shape.workloads, values, workload);
      candidates.push(...shape.segments.get(values) ?? []);
    }
    return candidates;
  }
}

/** The labels' values of `keys` as one text (a missing key reads as undefined, as the selector's test reads it). */
function valuesOf(keys: readonly string[], labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(keys.map((key) => labels[key]));
}
