import * as fs from 'fs';
import * as path from 'path';
import { TerraformElement, TerraformStack } from 'cdktf';
import { LegacyRuleMoves } from '../../lib/aws/legacy-rule-address';
import { isPreparing } from '../../lib/private/preparation-pass';
import { ResourceComments } from '../../lib/provenance/resource-comments';
import { newApp } from '../helpers';
import { SMALL_ESTATES } from '../performance/small-estates';
import { benchEstate } from '../performance/synthesize-app';

/** An element that records, each time cdktf asks for its Terraform, whether the stack was being prepared. */
class PassProbe extends TerraformElement {
  public readonly passes: boolean[] = [];

  public toTerraform(): any {
    this.passes.push(isPreparing(this.cdktfStack));
    return {};
  }
}

describe('the preparation pass of a stack the library renders', () => {
  test('cdktf prepares the stack marked as such, the comments and moves leave themselves out of it, and the synthesis writes them all', () => {
    // GIVEN a bench estate (rules with provenance and `moved` blocks) and a probe in its stack
    const app = newApp();
    try {
      benchEstate('aws-sg', SMALL_ESTATES['aws-sg'])(app);
      const stack = app.node.findChild('estate') as TerraformStack;
      const probe = new PassProbe(stack, 'Probe');
      const fragments: Array<{ element: string; preparing: boolean; fragment: any }> = [];
      for (const element of [ResourceComments.of(stack), LegacyRuleMoves.of(stack)]) {
        const own = element.toTerraform.bind(element);
        element.toTerraform = () => {
          const fragment = own();
          fragments.push({ element: element.constructor.name, preparing: isPreparing(stack), fragment });
          return fragment;
        };
      }
      // WHEN the app is synthesized
      app.synth();
      // THEN cdktf asked for every element's Terraform twice: preparing the stack, then not
      expect(probe.passes).toEqual([true, false]);
      expect(isPreparing(stack)).toBe(false);
      // AND while preparing, the comments (only rules' provenance here) and the moves gave nothing to resolve
      expect(fragments.map(({ element, preparing }) => `${element} ${preparing}`)).toEqual([
        'ResourceComments true', 'LegacyRuleMoves true', 'ResourceComments false', 'LegacyRuleMoves false',
      ]);
      expect(fragments[0].fragment).toEqual({ resource: {} });
      expect(fragments[1].fragment).toEqual({});
      // AND the written stack has every rule's provenance and every move
      const json = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'estate', 'cdk.tf.json'), 'utf8'));
      const rules = Object.values(json.resource.aws_vpc_security_group_ingress_rule as Record<string, any>);
      expect(rules.length).toBeGreaterThan(10);
      expect(rules.filter((body) => body['//'].microseg === undefined)).toEqual([]);
      // (in the last pass the moves handed cdktf a marker: they are written once it has resolved the stack)
      expect(fragments[3].fragment.moved).toHaveLength(1);
      expect(json.moved).toEqual(LegacyRuleMoves.of(stack).toTerraform().moved);
      expect(json.moved.length).toBeGreaterThan(10);
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });
});
