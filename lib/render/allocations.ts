import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { SlotAllocation, SlotRange, allocateSlots } from '../model/slot-allocator';
import { appWide } from '../private/app-wide';
import { flatText } from '../private/flat-text';

/** App context key naming the allocation file (a path, relative to the working directory); `""` turns persistence off. */
export const ALLOCATION_FILE_CONTEXT = 'microseg:allocationFile';

/** The file name used beside `cdktf.json` when the app runs under the cdktf CLI and the context names none. */
export const DEFAULT_ALLOCATION_FILE = 'microseg.allocations.json';

const STORE = Symbol.for('cdktf-microseg.Allocations');
const FORMAT_VERSION = 1;

/** The content of the allocation file. */
interface AllocationFileContent {
  readonly version: number;
  /** Per space (one NSG direction, one ACL direction, one NSX policy...), the slot of every key. */
  readonly slots: Record<string, Record<string, number>>;
  /** Per shared rule, the stack path that holds it; per helper flow, whether its identity has its ports (`base` or `ports`). */
  readonly owners: Record<string, string>;
}

/**
 * What the previous synthesis decided and must not move: rule numbers, priorities and sequence
 * numbers (slots), and which stack holds a rule several stacks declare (owners). It is read from
 * the allocation file, a committed file beside `cdktf.json` in the spirit of `cdk.context.json`,
 * and written back after a successful synthesis. Without the file every decision still depends on
 * the program alone, but an added rule may take a slot an existing one would have had.
 */
export class Allocations {
  /** The allocations of the app that `scope` belongs to. */
  public static of(scope: IConstruct): Allocations {
    return appWide(scope, STORE, (root) => {
      const store = new Allocations(allocationFileOf(scope));
      store.saveAfterSynth(root);
      return store;
    });
  }

  private readonly previous: AllocationFileContent;
  private readonly slotsBySpace = new Map<string, Map<string, number>>();
  private readonly owners = new Map<string, string>();
  /**
   * The previous owners as a map: a key is built afresh for every rule, and looking it up among an
   * object's properties would first make it a property name (V8 internalizes it), every time.
   */
  private readonly previousOwners: ReadonlyMap<string, string>;
  /** {@link previousOwners} grouped by key up to its last `|`, once asked for. */
  private previousOwnersByGroup?: ReadonlyMap<string, ReadonlyArray<readonly [string, string]>>;

  private constructor(private readonly file: string | undefined) {
    this.previous = file ? readAllocationFile(file) : emptyContent();
    this.previousOwners = new Map(Object.entries(this.previous.owners));
  }

  /** Where the allocations are kept, if anywhere. */
  public get filePath(): string | undefined {
    return this.file;
  }

  /**
   * Gives each key of `space` a slot of `range` (see `allocateSlots`), keeping the slots of the
   * previous synthesis, and remembers the result for the file. Calling again for the same space
   * replaces what it remembers.
   */
  public slots(
    space: string, keys: Iterable<string>, range: SlotRange,
    reserved: Iterable<number> = [], home?: (key: string, size: number) => number,
  ): SlotAllocation {
    const previous = new Map(Object.entries(this.previous.slots[space] ?? {}));
    const allocation = allocateSlots(keys, range, { previous, reserved, home });
    this.slotsBySpace.set(space, new Map(allocation.assigned));
    return allocation;
  }

  /**
   * The stack that holds a rule that several stacks declare: the one that held it in the previous
   * synthesis while it still declares the rule, else the first candidate in sorted order. A second
   * stack declaring the same rule therefore never moves it.
   */
  public owner(key: string, candidates: readonly string[]): string {
    if (candidates.length === 0) throw new Error(`Allocations.owner: no candidate stack for ${key}`);
    const previous = this.previousOwner(key);
    const owner = previous !== undefined && candidates.includes(previous) ? previous
      : candidates.length === 1 ? candidates[0] : [...candidates].sort(compareStrings)[0];
    this.owners.set(flatText(key), owner);
    return owner;
  }

  /** The stack that held `key` in the previous synthesis, if the file knows. */
  public previousOwner(key: string): string | undefined {
    return this.previousOwners.size === 0 ? undefined : this.previousOwners.get(key);
  }

  /**
   * The previous owners of the keys `<group>|<part>` (a group's own `|` included), as `[part, owner]`
   * sorted by part: the rules one bucket held, for instance. Grouped once, on first use.
   */
  public previousOwnersIn(group: string): ReadonlyArray<readonly [string, string]> {
    if (this.previousOwners.size === 0) return [];
    if (!this.previousOwnersByGroup) {
      const byGroup = new Map<string, Array<[string, string]>>();
      for (const [key, owner] of this.previousOwners) {
        const split = key.lastIndexOf('|');
        if (split < 0) continue;
        const keyGroup = key.slice(0, split);
        let parts = byGroup.get(keyGroup);
        if (!parts) byGroup.set(keyGroup, parts = []);
        parts.push([key.slice(split + 1), owner]);
      }
      for (const parts of byGroup.values()) parts.sort((a, b) => compareStrings(a[0], b[0]));
      this.previousOwnersByGroup = byGroup;
    }
    return this.previousOwnersByGroup.get(group) ?? [];
  }

  /** The keys `space` held in the previous synthesis, sorted (empty when the file does not know the space). */
  public previousKeys(space: string): string[] {
    return Object.keys(this.previous.slots[space] ?? {}).sort(compareStrings);
  }

  /** The slot `key` of `space` had in the previous synthesis, if the file knows. */
  public previousSlot(space: string, key: string): number | undefined {
    return this.previous.slots[space]?.[key];
  }

  /** The allocation file's content for this synthesis: sorted, so the same program writes the same bytes. */
  public toJson(): string {
    const slots: Record<string, Record<string, number>> = {};
    for (const space of [...this.slotsBySpace.keys()].sort(compareStrings)) {
      const assigned = this.slotsBySpace.get(space)!;
      if (assigned.size === 0) continue;
      slots[space] = Object.fromEntries([...assigned.entries()].sort((a, b) => compareStrings(a[0], b[0])));
    }
    const owners = Object.fromEntries([...this.owners.entries()].sort((a, b) => compareStrings(a[0], b[0])));
    const content: AllocationFileContent = { version: FORMAT_VERSION, slots, owners };
    return `${JSON.stringify(content, undefined, 2)}\n`;
  }

  /** Writes the allocation file, if the app keeps one and its content changed. */
  public save(): void {
    if (!this.file) return;
    const content = this.toJson();
    if (fs.existsSync(this.file) && fs.readFileSync(this.file, 'utf8') === content) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, content);
  }

  /** Saves once the app's synthesis has succeeded, never after a failed one (nothing half-written). */
  private saveAfterSynth(root: any): void {
    if (!this.file || typeof root.synth !== 'function') return;
    const synth = root.synth.bind(root);
    root.synth = () => {
      const result = synth();
      this.save();
      return result;
    };
  }
}

/** The allocation file of the app: the context's, else the default one when the cdktf CLI runs the app. */
function allocationFileOf(scope: IConstruct): string | undefined {
  const configured = scope.node.tryGetContext(ALLOCATION_FILE_CONTEXT);
  if (configured === '' || configured === false) return undefined;
  if (typeof configured === 'string') return path.resolve(configured);
  if (configured !== undefined) {
    throw new Error(`App context "${ALLOCATION_FILE_CONTEXT}" is ${JSON.stringify(configured)}; give a file path (relative to the working directory) or "" to keep no allocation file.`);
  }
  return process.env.CDKTF_OUTDIR ? path.resolve(DEFAULT_ALLOCATION_FILE) : undefined;
}

function readAllocationFile(file: string): AllocationFileContent {
  if (!fs.existsSync(file)) return emptyContent();
  let parsed: any;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`The allocation file ${file} is not valid JSON (${(error as Error).message}). Restore it from version control, or delete it to allocate afresh (rule numbers and priorities may then move).`);
  }
  const restore = 'Restore it from version control, or delete it to allocate afresh (rule numbers and priorities may then move).';
  if (parsed?.version !== FORMAT_VERSION) {
    throw new Error(`The allocation file ${file} has version ${JSON.stringify(parsed?.version)}; this version of cdktf-microseg reads version ${FORMAT_VERSION}. ${restore}`);
  }
  for (const field of ['slots', 'owners']) {
    const value = parsed[field];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`The allocation file ${file} has ${JSON.stringify(field)}: ${JSON.stringify(value) ?? 'nothing'}, where it keeps an object. ${restore}`);
    }
  }
  const slots: Record<string, Record<string, number>> = {};
  for (const [space, entries] of Object.entries(parsed.slots as Record<string, unknown>)) {
    if (!entries || typeof entries !== 'object') continue;
    const valid = Object.entries(entries as Record<string, unknown>).filter(([, slot]) => Number.isInteger(slot));
    slots[space] = Object.fromEntries(valid) as Record<string, number>;
  }
  const owners = Object.fromEntries(Object.entries(parsed.owners as Record<string, unknown>).filter(([, stack]) => typeof stack === 'string')) as Record<string, string>;
  return { version: FORMAT_VERSION, slots, owners };
}

function emptyContent(): AllocationFileContent {
  return { version: FORMAT_VERSION, slots: {}, owners: {} };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
