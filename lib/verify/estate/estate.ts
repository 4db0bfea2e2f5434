import { AwsFacts } from './aws-facts';
import { AzureFacts } from './azure-facts';
import { Naming } from './naming';
import { NsxFacts } from './nsx-facts';
import { Inventory, readInventory } from '../model/inventory';
import { Resolver } from '../model/resolver';
import { TerraformModel } from '../model/terraform-model';

/** Everything derived once from a Terraform model: the resolver, the inventory, names and per-platform facts. */
export class Estate {
  /** Resolves `${...}` expressions. */
  public readonly resolver: Resolver;
  /** The library's naming inventory. */
  public readonly inventory: Inventory;
  /** Human names of resources. */
  public readonly naming: Naming;
  /** AWS interfaces, subnets and ACL associations. */
  public readonly aws: AwsFacts;
  /** Azure NICs, ASGs, NSG associations and VNets. */
  public readonly azure: AzureFacts;
  /** NSX tags and groups. */
  public readonly nsx: NsxFacts;

  constructor(public readonly model: TerraformModel) {
    this.resolver = new Resolver(model);
    this.inventory = readInventory(model, this.resolver);
    this.naming = new Naming(model, this.inventory);
    this.aws = new AwsFacts(model, this.resolver, this.inventory);
    this.azure = new AzureFacts(model, this.resolver);
    this.nsx = new NsxFacts(model, this.resolver);
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
