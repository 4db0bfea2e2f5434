import { Naming } from './naming';
import { Inventory, readInventory } from '../model/inventory';
import { Resolver } from '../model/resolver';
import { TerraformModel } from '../model/terraform-model';

/** Builds one platform's facts from an estate (a platform folder's indexer). */
export type FactsReader<T> = (estate: Estate) => T;

/**
 * Everything derived once from a Terraform model: the resolver, the inventory, names, and each
 * platform's facts (built by the platform's folder on first use, then kept).
 */
export class Estate {
  /** Resolves `${...}` expressions. */
  public readonly resolver: Resolver;
  /** The library's naming inventory. */
  public readonly inventory: Inventory;
  /** Human names of resources. */
  public readonly naming: Naming;
  private readonly platformFacts = new Map<FactsReader<unknown>, unknown>();

  constructor(public readonly model: TerraformModel) {
    this.resolver = new Resolver(model);
    this.inventory = readInventory(model, this.resolver);
    this.naming = new Naming(model, this.inventory);
  }

  /** The facts `read` builds from this estate, built on first use and kept for the estate's lifetime. */
  public facts<T>(read: FactsReader<T>): T {
    if (this.platformFacts.has(read)) return this.platformFacts.get(read) as T;
    const facts = read(this);
    this.platformFacts.set(read, facts);
    return facts;
  }

}

const estates = new WeakMap<TerraformModel, Estate>();

/** The estate of a model, built on first use and cached for the model's lifetime. */
export function estateOf(model: TerraformModel): Estate {
  let estate = estates.get(model);
  if (!estate) {
    estate = new Estate(model);
    estates.set(model, estate);
  }
  return estate;
}
