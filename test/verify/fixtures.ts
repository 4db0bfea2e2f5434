import * as path from 'path';
import { loadTerraform } from '../../lib/verify/model/load-terraform';
import { TerraformModel } from '../../lib/verify/model/terraform-model';

/** The directory of a hand-written fixture under test/fixtures. */
export function fixtureDir(name: string): string {
  return path.join(__dirname, '..', 'fixtures', name);
}

/** Loads a hand-written fixture under test/fixtures. */
export function loadFixture(name: string): TerraformModel {
  return loadTerraform(fixtureDir(name));
}

/** The addresses of a verdict's deciding rules, across all its points. */
export function decidingAddresses(layers: readonly { decidingRules: readonly { address: string }[] }[]): string[] {
  return layers.flatMap((layer) => layer.decidingRules.map((rule) => rule.address));
}
