import { NsxGroup, readNsxGroup } from './nsx-groups';
import { NsxTag } from './nsx-host';
import type { Estate } from '../../estate/estate';
import { Resolver } from '../../model/resolver';
import { TerraformModel, TerraformResource, blocksAt } from '../../model/terraform-model';
import { identityOf, stringOf, textOf } from '../../model/value';
import { appendTo } from '../../multimap';

/** Facts about NSX: VM tags, VM names and groups, indexed once per model. */
export class NsxFacts {
  private readonly tagsByVm = new Map<string, NsxTag[]>();
  private readonly groupsByKey = new Map<string, NsxGroup>();
  private readonly groupsByLiteralPath = new Map<string, NsxGroup>();

  constructor(private readonly model: TerraformModel, private readonly resolver: Resolver) {
    for (const resource of model.resourcesOfType('nsxt_policy_vm_tags')) {
      const vm = resolver.value(resource.stack, resource.body.instance_id);
      if (!vm) continue;
      const tags = blocksAt(resource.body, 'tag').map((tag) => ({
        scope: textOf(resolver.value(resource.stack, tag.scope) ?? { kind: 'literal', value: '' }),
        tag: textOf(resolver.value(resource.stack, tag.tag) ?? { kind: 'literal', value: '' }),
      }));
      appendTo(this.tagsByVm, identityOf(vm), ...tags);
    }
    for (const resource of model.resourcesOfType('nsxt_policy_group')) {
      const group = readNsxGroup(resource, resolver);
      this.groupsByKey.set(group.key, group);
      if (group.literalPath) this.groupsByLiteralPath.set(group.literalPath, group);
    }
  }

  /** Whether the JSON holds any NSX resource. */
  public get present(): boolean {
    return this.model.resourceTypes().some((type) => type.startsWith('nsxt_') && this.model.resourcesOfType(type).length > 0);
  }

  /** The NSX tags written for a VM (by `nsxt_policy_vm_tags`). */
  public tagsOf(vmKey: string): readonly NsxTag[] {
    return this.tagsByVm.get(vmKey) ?? [];
  }

  /** Keys of every VM that has NSX tags written for it. */
  public taggedVms(): string[] {
    return [...this.tagsByVm.keys()];
  }

  /** The VM's name, if configured literally. */
  public nameOf(vm: TerraformResource): string | undefined {
    return stringOf(this.resolver.value(vm.stack, vm.body.name));
  }

  /** The addresses the groups' IP address criteria name, in group order. */
  public groupAddresses(): string[] {
    return [...this.groupsByKey.values()].flatMap((group) => group.terms.flat().flatMap((criterion) => (criterion.kind === 'addresses' ? criterion.addresses : [])));
  }

  /** The group a rule refers to, by resource identity or by literal policy path. */
  public group(identity: string): NsxGroup | undefined {
    return this.groupsByKey.get(identity) ?? this.groupsByLiteralPath.get(identity);
  }
}

/** The NSX facts of an estate, indexed on first use. */
export function nsxFacts(estate: Estate): NsxFacts {
  return estate.facts(readNsxFacts);
}

function readNsxFacts(estate: Estate): NsxFacts {
  return new NsxFacts(estate.model, estate.resolver);
}
