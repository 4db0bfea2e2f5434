import { TerraformElement, TerraformStack } from 'cdktf';
import { portKey, PortSpec } from '../model/ports';
import { readableIdFromKey } from '../private/identity';
import { isPlainData, lateWritesOf, plainCopy } from '../private/late-writes';
import { compare, stackOf } from '../registry';
import { mergeBucket, MergedRule, PortContribution, specWithin } from '../render/rule-bucket';
import { Segment } from '../segment';
import { AwsEnforcement } from './enforcement';
import { flatText } from '../private/flat-text';
import { pathOf } from '../private/path-of';
import { isPreparing } from '../private/preparation-pass';

/** A group as the earlier rule ids named it. */
export interface LegacyGroup {
  /** The segment the group renders. */
  readonly segment: Segment;
  /** The enforcement (VPC) it lives in. */
  readonly enforcement: AwsEnforcement;
}

/** What the earlier rule ids were made of: a bucket of one group, direction and exact peer. */
export interface LegacyBucket {
  /** The group holding the rules. */
  readonly group: LegacyGroup;
  /** `ingress` or `egress`. */
  readonly direction: string;
  /** The exact peer: its key (`cidr:...`, `pl:...`, `addr:...`) and, for a group, that group. */
  readonly peer: { readonly key: string; readonly group?: LegacyGroup };
}

/** Where a rule lived before rules were named by flow and port entry: its construct id and the construct path of the flow that owned it. */
export interface LegacyRuleAddress {
  /** The construct id the earlier scheme gave the rule. */
  readonly id: string;
  /** Construct path of the flow whose stack held the rule (the first, by path, of the flows it served). */
  readonly owner: string;
}

/**
 * Where the rule covering a spec lived before rules were named by flow and port entry (that scheme
 * merged the ports of a bucket into the fewest ranges), for the rules of one bucket with the given
 * contributions. Of the permissions one merged rule covered, the lowest takes its address, so a
 * `moved` block keeps it in place (or narrows it in place) on the first apply after an upgrade.
 * The contributions are merged once, on the first call, however many rules ask.
 */
export function legacyRuleAddresses(
  bucket: LegacyBucket, contributions: readonly PortContribution[],
): (spec: PortSpec) => LegacyRuleAddress | undefined {
  let mergedRules: MergedRule[] | undefined;
  return (spec) => {
    mergedRules ??= mergeBucket(contributions);
    const merged = mergedRules.find((rule) => specWithin(spec, rule.spec));
    if (!merged) return undefined;
    const covered = contributions.map((c) => c.spec).filter((s) => specWithin(s, merged.spec));
    const lowest = covered.sort((a, b) => a.from - b.from || a.to - b.to || compare(portKey(a), portKey(b)))[0];
    if (portKey(lowest) !== portKey(spec)) return undefined;
    const key = merged.portKey;
    const owner = [...merged.flows].sort(compare)[0];
    const { group, direction, peer } = bucket;
    const peerId = peer.group ? `${subjectPath(peer.group.segment)}${enforcementSuffix(peer.group)}` : peer.key.replace(/^(cidr|pl):/, '');
    return { id: readableIdFromKey(`${pathOf(group.segment)}${enforcementSuffix(group)}-${direction}-${peerId}-${key}`), owner };
  };
}

function subjectPath(segment: Segment): string {
  return segment.implicit ? pathOf(segment.node.scope!) : pathOf(segment);
}

function enforcementSuffix(group: LegacyGroup): string {
  return stackOf(group.enforcement) === stackOf(group.segment) ? '' : `@${pathOf(group.enforcement)}`;
}

/** Where a stack's legacy `moved` blocks go in its `moved` list until they are written late: text no Terraform address holds. */
const MOVED_MARKER = '\u0000microseg legacy rule moves';

/**
 * The `moved` blocks of one stack from the addresses its rules had in earlier releases, written
 * sorted by old address so the output does not depend on the order rules were rendered in.
 * Terraform ignores a block whose old address is not in the state.
 */
export class LegacyRuleMoves extends TerraformElement {
  /** The moves of `stack`, created on first use. */
  public static of(stack: TerraformStack): LegacyRuleMoves {
    return (stack.node.tryFindChild('MicrosegLegacyRuleMoves') as LegacyRuleMoves | undefined) ?? new LegacyRuleMoves(stack, 'MicrosegLegacyRuleMoves');
  }

  /** Old address by new address (`type.name` both). */
  private readonly fromByTo = new Map<string, string>();

  /**
   * The `moved` blocks, sorted by old address, kept until the next change: cdktf asks for them on
   * each of its passes and copies them when it resolves them.
   */
  private blocks?: ReadonlyArray<{ readonly from: string; readonly to: string }>;

  /** Records that the rule now at `to` was at `from`. */
  public add(to: string, from: string): void {
    if (this.fromByTo.get(to) === from) return;
    this.fromByTo.set(flatText(to), flatText(from));
    this.blocks = undefined;
  }

  /** Forgets the move to `to` (its rule is no longer rendered). */
  public remove(to: string): void {
    if (this.fromByTo.delete(to)) this.blocks = undefined;
  }

  /**
   * The `moved` blocks, sorted by old address (none in cdktf's preparation pass: addresses are plain
   * text). While the library makes the stack's JSON, they take the place of a marker once cdktf has
   * resolved it (see `withLateWrites`), in the document's `moved` list where the blocks would be.
   */
  public toTerraform(): any {
    if (this.fromByTo.size === 0 || isPreparing(this.cdktfStack)) return {};
    const blocks = this.sortedBlocks();
    const lateWrites = lateWritesOf(this.cdktfStack);
    if (!lateWrites || !isPlainData(blocks)) return { moved: blocks };
    lateWrites.push((document: { moved?: unknown[] }) => {
      const moved = document.moved ?? [];
      const at = moved.indexOf(MOVED_MARKER);
      // a new list, not a splice: the 10x bench estate has 95,000 blocks, too many to pass as arguments
      document.moved = at < 0 ? [...moved, ...plainCopy(blocks)] : [...moved.slice(0, at), ...plainCopy(blocks), ...moved.slice(at + 1)];
    });
    return { moved: [MOVED_MARKER] };
  }

  /** The same blocks for HCL output. */
  public toHclTerraform(): any {
    const reference = (value: string) => ({ value, isBlock: false, type: 'simple', storageClassType: 'reference' });
    return this.fromByTo.size === 0 ? {} : { moved: this.sortedBlocks().map(({ from, to }) => ({ from: reference(from), to: reference(to) })) };
  }

  private sortedBlocks(): ReadonlyArray<{ readonly from: string; readonly to: string }> {
    return (this.blocks ??= [...this.fromByTo.entries()].sort((a, b) => compare(a[1], b[1])).map(([to, from]) => ({ from, to })));
  }
}
