import { Resolver } from './resolver';
import { TerraformModel } from './terraform-model';
import { Value, identityOf } from './value';
import { SegmentProvenance, WorkloadProvenance, readStackProvenance } from '../../provenance/contract';
import { parsePortRange } from '../net/interval-set';

/** A segment as the library's inventory names it. */
export interface InventorySegment {
  /** The Segment construct path (`app/Web`). */
  readonly path: string;
  /** The label selector. */
  readonly selector: Readonly<Record<string, string>>;
  /** Keys of the group resources rendered for it (SGs, ASGs, NSX groups), across stacks. */
  readonly groupKeys: readonly string[];
  /** The identity its resources derive from when its `stableId` is not its path. @default - its path */
  readonly stableId?: string;
}

/** A workload as the library's inventory names it. */
export interface InventoryWorkload {
  /** The Workload construct path. */
  readonly path: string;
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Paths of the segments it belongs to. */
  readonly segments: readonly string[];
  /** Key of the bound resource (instance, NIC, VM); absent for address-only hosts. */
  readonly bindingKey?: string;
  /** Its known addresses. */
  readonly addresses: readonly Value[];
  /** The identity its resources derive from when its `stableId` is not its path. @default - its path */
  readonly stableId?: string;
}

/** A subnet CIDR recorded by the library (`"//".microseg.subnets`). */
export interface InventorySubnet {
  /** What identifies the subnet (resource key, literal id or symbolic text). */
  readonly subnet: string;
  /** Its CIDR. */
  readonly cidr: string;
  /** The clients' ephemeral ports its network ACL is declared for, when not the default. @default - not declared */
  readonly ephemeralPorts?: readonly [number, number];
}

/** The names the library wrote into `"//".microseg` of every stack, merged. Names only: membership comes from resources. */
export interface Inventory {
  /** Segments by construct path. */
  readonly segments: ReadonlyMap<string, InventorySegment>;
  /** Workloads by construct path. */
  readonly workloads: ReadonlyMap<string, InventoryWorkload>;
  /** Subnet CIDRs. */
  readonly subnets: readonly InventorySubnet[];
}

/** Reads and merges the `"//".microseg` inventory of every stack; empty when no stack has one. */
export function readInventory(model: TerraformModel, resolver: Resolver): Inventory {
  const segments = new Map<string, InventorySegment>();
  const workloads = new Map<string, InventoryWorkload>();
  const subnets: InventorySubnet[] = [];
  for (const stack of model.stacks) {
    const recorded = readStackProvenance(stack.json);
    for (const [path, entry] of recorded.segments) {
      segments.set(path, mergeSegment(segments.get(path), readSegment(model, stack.name, path, entry)));
    }
    for (const [path, entry] of recorded.workloads) {
      workloads.set(path, readWorkload(model, resolver, stack.name, path, entry));
    }
    for (const [subnet, cidr] of recorded.subnets) {
      const identity = resolver.value(stack.name, subnet);
      const ephemeral = parsePortRange(recorded.ephemeralPorts.get(subnet) ?? '');
      const ephemeralPorts = ephemeral ? { ephemeralPorts: ephemeral } : {};
      if (identity) subnets.push({ subnet: identityOf(identity), cidr, ...ephemeralPorts });
    }
  }
  return { segments, workloads, subnets };
}

/** The key of the resource at `address`, preferring `stack`, else the only stack that has it. */
export function locateAddress(model: TerraformModel, stack: string, address: string): string | undefined {
  const local = `${stack}/${address}`;
  if (model.resource(local)) return local;
  const elsewhere = model.stacks.map((s) => `${s.name}/${address}`).filter((key) => model.resource(key));
  return elsewhere.length === 1 ? elsewhere[0] : undefined;
}

/**
 * The key an inventory entry's address stands for: the resource of `stack` or the only other stack
 * that has it, else the address in `stack`. With a single stack that is always the address in it,
 * so no resource is read (an inventory names every workload's binding).
 */
function keyOfAddress(model: TerraformModel, stack: string, address: string): string {
  if (model.stacks.length === 1) return `${stack}/${address}`;
  return locateAddress(model, stack, address) ?? `${stack}/${address}`;
}

function readSegment(model: TerraformModel, stack: string, path: string, entry: SegmentProvenance): InventorySegment {
  const groupKeys = entry.groups.map((address) => keyOfAddress(model, stack, address));
  return { path, selector: entry.selector, groupKeys, ...entry.stableId !== undefined ? { stableId: entry.stableId } : {} };
}

function mergeSegment(existing: InventorySegment | undefined, next: InventorySegment): InventorySegment {
  if (!existing) return next;
  return {
    path: next.path,
    selector: { ...existing.selector, ...next.selector },
    groupKeys: [...new Set([...existing.groupKeys, ...next.groupKeys])],
    ...(existing.stableId ?? next.stableId) !== undefined ? { stableId: existing.stableId ?? next.stableId } : {},
  };
}

function readWorkload(model: TerraformModel, resolver: Resolver, stack: string, path: string, entry: WorkloadProvenance): InventoryWorkload {
  return {
    path,
    labels: entry.labels,
    segments: entry.segments,
    bindingKey: entry.binding === undefined ? undefined : keyOfAddress(model, stack, entry.binding),
    addresses: resolver.values(stack, entry.addresses),
    ...entry.stableId !== undefined ? { stableId: entry.stableId } : {},
  };
}
