import { TerraformResource } from 'cdktf';
import { smallEstates } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';
import { EstateSize } from '../../bench/estates/size';
import { isPreparing } from '../../lib/private/preparation-pass';

/** The resource types the estates' apps declare themselves: the workloads' bound resources. Every other resource is the library's. */
const APP_TYPES = new Set(['aws_instance', 'azurerm_network_interface', 'vsphere_virtual_machine']);

/**
 * Synthesizes the estate at `size` and counts, by type, the library's resources whose whole body
 * cdktf's preparation pass resolves (and throws away): those the library did not build in bulk.
 */
function wholeBodiesPrepared(estate: string, size: EstateSize): Record<string, number> {
  const original = TerraformResource.prototype.toTerraform;
  const counts: Record<string, number> = {};
  TerraformResource.prototype.toTerraform = function counted(this: TerraformResource) {
    const type = this.terraformResourceType;
    if (isPreparing(this.cdktfStack) && !APP_TYPES.has(type)) counts[type] = (counts[type] ?? 0) + 1;
    return original.call(this);
  };
  try {
    synthesizeApp(benchEstate(estate, size));
  } finally {
    TerraformResource.prototype.toTerraform = original;
  }
  return counts;
}

/** The estate at twice `size`: twice the segments, workloads and flows. */
function twice(size: EstateSize): EstateSize {
  return { segments: size.segments * 2, workloads: size.workloads * 2, flows: size.flows * 2 };
}

// The library builds every resource of its own in bulk (lib/private/bulk-resource.ts): cdktf's
// preparation pass resolves only their token strings. A resource kind built plainly would show here,
// and one built per membership, segment, label or subnet would grow with the estate.
describe("cdktf's preparation pass resolves the whole body of none of the library's resources", () => {
  test.each(smallEstates('aws-sg', 'aws-nacl', 'azure', 'nsx', 'mixed'))('%s', (estate, size) => {
    // GIVEN the estate at its small size and at twice that size
    // WHEN each is synthesized
    const once = wholeBodiesPrepared(estate, size);
    const doubled = wholeBodiesPrepared(estate, twice(size));

    // THEN the pass resolved the whole body of the app's own resources only, at both sizes
    expect(once).toEqual({});
    expect(doubled).toEqual({});
  });
});
