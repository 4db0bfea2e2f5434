import { Lazy, TerraformResource, TerraformStack } from 'cdktf';
import { PROVENANCE_VERSION, SegmentProvenance, StackProvenance, WorkloadProvenance, writeStackProvenance } from './provenance/contract';
import { compare } from './registry';

interface SegmentEntry {
  selector: Record<string, string>;
  groups: Set<string>;
  identity?: string;
}

interface WorkloadEntry {
  labels: Record<string, string>;
  segments: () => string[];
  binding?: TerraformResource;
  addresses: string[];
  /** The identity its resources derive from (`stableId`, else the construct path). */
  identity?: string;
}

const INVENTORY = Symbol.for('cdktf-microseg.Inventory');

/**
 * The names the reachability evaluator needs, written into each stack's top-level `"//"` comment
 * (which Terraform ignores) as `microseg`: which construct path a rendered group or bound resource
 * stands for. Membership itself is never read from here, only from the rendered resources. Its shape
 * is `StackProvenance` of the provenance contract (`lib/provenance/contract.ts`), which the evaluator reads.
 */
export class Inventory {
  /** The inventory of a stack (created, and wired into the stack's output, on first use). */
  public static of(stack: TerraformStack): Inventory {
    const holder = stack as any;
    if (!holder[INVENTORY]) {
      const inventory = new Inventory();
      Object.defineProperty(holder, INVENTORY, { value: inventory });
      writeStackProvenance(stack, Lazy.anyValue({ produce: () => inventory.render() }));
    }
    return holder[INVENTORY];
  }

  private readonly segments = new Map<string, SegmentEntry>();
  private readonly workloads = new Map<string, WorkloadEntry>();
  private readonly subnets = new Map<string, string>();
  private readonly ephemeralPorts = new Map<string, string>();

  private constructor() {}

  /**
   * Records that `group` (a resource of this stack) renders the segment at `segmentPath`, whose
   * resources derive from `identity` (its `stableId`, else its path).
   */
  public addGroup(segmentPath: string, selector: Record<string, string>, group: TerraformResource, identity?: string): void {
    this.segmentEntry(segmentPath, selector, identity).groups.add(this.addressOf(group));
  }

  /** Records a segment without rendered groups in this stack. */
  public addSegment(segmentPath: string, selector: Record<string, string>, identity?: string): void {
    this.segmentEntry(segmentPath, selector, identity);
  }

  /** Records a workload (its binding, when given, is a resource of this stack). */
  public addWorkload(path: string, entry: WorkloadEntry): void {
    this.workloads.set(path, entry);
  }

  /** Records the CIDR of a subnet id or expression, for the network ACL layer. */
  public addSubnet(subnetId: string, cidr: string): void {
    this.subnets.set(subnetId, cidr);
  }

  /** Records the ephemeral ports (`49152-65535`) a subnet's network ACL lets return traffic reach, when not the default. */
  public addEphemeralPorts(subnetId: string, range: string): void {
    this.ephemeralPorts.set(subnetId, range);
  }

  private segmentEntry(path: string, selector: Record<string, string>, identity: string | undefined): SegmentEntry {
    let entry = this.segments.get(path);
    if (!entry) {
      entry = { selector, groups: new Set(), identity };
      this.segments.set(path, entry);
    }
    return entry;
  }

  private addressOf(resource: TerraformResource): string {
    return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
  }

  private render(): StackProvenance {
    const segments: Record<string, SegmentProvenance> = {};
    for (const path of [...this.segments.keys()].sort(compare)) {
      const entry = this.segments.get(path)!;
      segments[path] = { selector: sortKeys(entry.selector), groups: [...entry.groups].sort(compare), ...stableIdEntry(path, entry.identity) };
    }
    const workloads: Record<string, WorkloadProvenance> = {};
    for (const path of [...this.workloads.keys()].sort(compare)) {
      const entry = this.workloads.get(path)!;
      workloads[path] = {
        labels: sortKeys(entry.labels),
        segments: entry.segments(),
        ...(entry.binding ? { binding: this.addressOf(entry.binding) } : {}),
        addresses: entry.addresses,
        ...stableIdEntry(path, entry.identity),
      };
    }
    if (this.subnets.size === 0) return { version: PROVENANCE_VERSION, segments, workloads };
    const sorted = (map: Map<string, string>) => Object.fromEntries([...map.entries()].sort((a, b) => compare(a[0], b[0])));
    const ephemeral = this.ephemeralPorts.size > 0 ? { ephemeralPorts: sorted(this.ephemeralPorts) } : {};
    return { version: PROVENANCE_VERSION, segments, workloads, subnets: sorted(this.subnets), ...ephemeral };
  }
}

/** The inventory's `stableId` field: only when the identity is not the path (the common case writes nothing). */
function stableIdEntry(path: string, identity: string | undefined): { stableId?: string } {
  return identity !== undefined && identity !== path ? { stableId: identity } : {};
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort((a, b) => compare(a[0], b[0])));
}
