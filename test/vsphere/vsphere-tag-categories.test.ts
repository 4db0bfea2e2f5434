import { TagCategory } from '@cdktf/provider-vsphere/lib/tag-category';
import { App } from 'cdktf';
import { baselinePreset } from '../../examples/baseline-preset/main';
import { vsphereNsx } from '../../examples/vsphere-nsx/main';
import { NsxEnforcement, NsxEnforcementProps, Segment, Workload, VsphereBinding } from '../../lib';
import { errorOf, newApp, resourcesOf, synthApp } from '../helpers';
import { nsxStack, vm } from './nsx-fixtures';

// vSphere tag category names are unique per vCenter (issue 11, item 15): the default names must
// not collide between stacks, and two categories of one app with the same name fail synthesis.

/** A stack `id` with an NSX enforcement and one VM labelled app/tier. */
function site(app: App, id: string, props: NsxEnforcementProps = {}) {
  const stack = nsxStack(app, id);
  new NsxEnforcement(stack, 'Nsx', props);
  new Segment(stack, 'Web', { selector: { tier: 'web' } });
  new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, `${id}-web`)), labels: { app: id, tier: 'web' } });
  return stack;
}

function categoryNames(out: ReturnType<typeof synthApp>): string[] {
  return Object.values(out).flatMap((stack) => Object.values<any>(resourcesOf(stack, 'vsphere_tag_category')).map((c) => c.name)).sort();
}

describe('vSphere tag category names', () => {
  test('default names carry the enforcement\'s path, so two stacks do not collide', () => {
    // GIVEN two stacks with the same label keys
    const app = newApp();
    site(app, 'east');
    site(app, 'west');

    // WHEN
    const out = synthApp(app);

    // THEN
    expect(categoryNames(out)).toEqual([
      'east/Nsx/app', 'east/Nsx/microseg', 'east/Nsx/tier',
      'west/Nsx/app', 'west/Nsx/microseg', 'west/Nsx/tier',
    ]);
  });

  test('the two shipped vSphere examples synthesize together, with distinct category names', () => {
    const app = newApp();
    vsphereNsx(app);
    baselinePreset(app);
    const names = categoryNames(synthApp(app));
    expect(names.length).toBeGreaterThan(4);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(names).toContain('vsphere-nsx/Nsx/app');
  });

  test('the same explicit prefix in two stacks is a synth error naming both categories', () => {
    const app = newApp();
    site(app, 'east', { vsphereCategoryPrefix: 'shop-' });
    site(app, 'west', { vsphereCategoryPrefix: 'SHOP-' });
    const message = errorOf(() => synthApp(app));
    expect(message).toMatch(/NsxEnforcement 'east\/Nsx': vSphere tag category "shop-app" \('east\/Nsx\/TagCategory-app-\w+'\) has the same name as 'west\/Nsx\/TagCategory-app-\w+' \("SHOP-app"\); vCenter category names are unique \(case ignored\), so the second create fails with AlreadyExists\. Set vsphereCategoryPrefix/);
    expect(message).not.toContain('NsxEnforcement \'west/Nsx\': vSphere tag category'); // one report per pair
  });

  test('a category the app declares itself with the same name is a synth error naming both', () => {
    const app = newApp();
    const stack = site(app, 'east');
    new TagCategory(stack, 'OwnTier', { name: 'east/Nsx/tier', cardinality: 'SINGLE', associableTypes: ['VirtualMachine'] });
    expect(errorOf(() => synthApp(app))).toMatch(/vSphere tag category "east\/Nsx\/tier" \('east\/Nsx\/TagCategory-tier-\w+'\) has the same name as 'east\/OwnTier' \("east\/Nsx\/tier"\)/);
  });
});

describe('vSphere tag names within a category', () => {
  test('label values that differ only in case are a synth error naming both (vCenter would refuse the second tag)', () => {
    const app = newApp();
    const stack = site(app, 'dc');
    new Workload(stack, 'ProdVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'dc-prod')), labels: { tier: 'web', env: 'Prod' } });
    new Workload(stack, 'ProdVm2', { binding: VsphereBinding.virtualMachine(vm(stack, 'dc-prod2')), labels: { tier: 'web', env: 'prod' } });
    expect(errorOf(() => synthApp(app))).toContain("NsxEnforcement 'dc/Nsx': the vSphere tags \"Prod\" and \"prod\" of category \"dc/Nsx/env\" differ only in case; vCenter tag names are unique within a category (case ignored), so the second create fails with AlreadyExists. Write the label \"env\" the same way on every workload.");
  });

  test('the same value in two categories is two tags, and one value written alike is one tag', () => {
    const app = newApp();
    const stack = site(app, 'dc');
    new Workload(stack, 'ProdVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'dc-prod')), labels: { tier: 'web', env: 'prod', stage: 'prod' } });
    new Workload(stack, 'ProdVm2', { binding: VsphereBinding.virtualMachine(vm(stack, 'dc-prod2')), labels: { tier: 'web', env: 'prod' } });
    const names = Object.values<any>(resourcesOf(synthApp(app).dc, 'vsphere_tag')).map((tag) => tag.name).filter((name) => name === 'prod');
    expect(names).toEqual(['prod', 'prod']);
  });
});
