import { Inventory } from '../model/inventory';
import { TerraformModel } from '../model/terraform-model';

/** Turns resource keys into the names people use: segment and workload paths, construct paths, addresses. */
export class Naming {
  private readonly segmentOfGroup = new Map<string, string>();
  private readonly workloadOfBinding = new Map<string, string>();

  constructor(private readonly model: TerraformModel, inventory: Inventory) {
    for (const segment of inventory.segments.values()) {
      for (const key of segment.groupKeys) this.segmentOfGroup.set(key, segment.path);
    }
    for (const workload of inventory.workloads.values()) {
      if (workload.bindingKey) this.workloadOfBinding.set(workload.bindingKey, workload.path);
    }
  }

  /** The Terraform address of a key, prefixed with its stack only when the app has several stacks. */
  public addressOf(identity: string): string {
    const resource = this.model.resource(identity);
    if (!resource) return identity;
    return this.model.stacks.length > 1 ? `${resource.stack}:${resource.address}` : resource.address;
  }

  /** The most meaningful name of an identity: its segment or workload path, its construct path, or its address. */
  public nameOf(identity: string): string {
    return this.segmentOfGroup.get(identity)
      ?? this.workloadOfBinding.get(identity)
      ?? this.model.resource(identity)?.constructPath
      ?? this.addressOf(identity);
  }

  /** `address (name)` when the two differ, else the address. */
  public describe(identity: string): string {
    const address = this.addressOf(identity);
    const name = this.nameOf(identity);
    return name === address ? address : `${address} (${name})`;
  }

  /** The construct path recorded for a resource. */
  public constructPathOf(identity: string): string | undefined {
    return this.model.resource(identity)?.constructPath;
  }
}
