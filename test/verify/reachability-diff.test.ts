import { NsxEnforcement, Port, Segment, Workload, VsphereBinding } from '../../lib';
import { diffReachability } from '../../lib/verify/diff/reachability-diff';
import { TerraformModel } from '../../lib/verify/model/terraform-model';
import { synthesizeApp } from '../../lib/verify/synthesize-app';
import { TwoPlatformVariant, twoPlatformModel } from '../fixtures/two-platform-estate';
import { newApp } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

/** The two-platform estate without the cross-platform flow unless the variant asks for it. */
const estate = (variant: TwoPlatformVariant) => twoPlatformModel({ apiToDb: false, ...variant });

const summary = (changes: readonly { level: string; from: string; to: string; ports: readonly string[] }[]) =>
  changes.map((change) => `${change.level} ${change.from} -> ${change.to} ${change.ports.join(',')}`);

describe('diffReachability', () => {
  test('GIVEN a cross-platform flow added WHEN diffing THEN it is opened at segment and workload level, as when every pair is compared', () => {
    const before = estate({});
    const after = estate({ apiToDb: true });
    const diff = diffReachability(before, after);
    expect(summary(diff.opened)).toEqual(['segment shop/Api -> azure/Db tcp/5432', 'workload shop/api -> azure/db tcp/5432']);
    expect(diff.closed).toEqual([]);
    expect(diff.opened[0].flows).toEqual(['azure/Db/AllowFrom-shop-Api-tcp-5432']);
    const full = diffReachability(before, after, { compareEveryPair: true });
    expect([summary(full.opened), summary(full.closed), full.scoped]).toEqual([summary(diff.opened), [], false]);
  });

  test('GIVEN a port moved WHEN diffing THEN the old port is closed and the new one opened', () => {
    const diff = diffReachability(estate({ apiToDb: true }), estate({ apiToDb: true, webToApiPort: 8443 }));
    expect(summary(diff.opened)).toEqual(['segment shop/Web -> shop/Api tcp/8443', 'workload shop/web -> shop/api tcp/8443']);
    expect(summary(diff.closed)).toEqual(['segment shop/Web -> shop/Api tcp/8080', 'workload shop/web -> shop/api tcp/8080']);
    expect(diff.closed[0].after).toEqual(['tcp/8443']);
  });

  test('GIVEN a new member of a segment WHEN diffing THEN it gains what the segment has, at workload level only', () => {
    const before = estate({ apiToDb: true });
    const after = estate({ apiToDb: true, extraWebMember: true });
    const diff = diffReachability(before, after);
    expect(summary(diff.opened)).toEqual(['workload shop/web2 -> shop/api tcp/8080', 'workload 0.0.0.0/0 -> shop/web2 tcp/443']);
    expect(diff.closed).toEqual([]);
    const full = diffReachability(before, after, { compareEveryPair: true });
    expect(summary(full.opened)).toEqual(summary(diff.opened));
  });
});

describe('diffReachability on NSX (tag-based groups)', () => {
  function nsxEstate(withFlow: boolean): TerraformModel {
    const app = newApp();
    const nsx = nsxStack(app, 'nsx');
    new NsxEnforcement(nsx, 'Nsx');
    const web = new Segment(nsx, 'Web', { selector: { tier: 'web' } });
    const db = new Segment(nsx, 'Db', { selector: { tier: 'db' } });
    const other = new Segment(nsx, 'Other', { selector: { tier: 'other' } });
    other.allowFrom(web, Port.HTTPS);
    if (withFlow) db.allowFrom(web, Port.POSTGRES);
    new Workload(nsx, 'web', { binding: VsphereBinding.virtualMachine(vm(nsx, 'web-vm')), labels: { tier: 'web' }, addresses: ['10.9.0.10'] });
    new Workload(nsx, 'db', { binding: VsphereBinding.virtualMachine(vm(nsx, 'db-vm')), labels: { tier: 'db' }, addresses: ['10.9.0.20'] });
    new Workload(nsx, 'other', { binding: VsphereBinding.virtualMachine(vm(nsx, 'other-vm')), labels: { tier: 'other' }, addresses: ['10.9.0.30'] });
    return synthesizeApp(nsx);
  }

  test('GIVEN a flow added between two NSX segments WHEN diffing THEN exactly it opens, as when every pair is compared', () => {
    const before = nsxEstate(false);
    const after = nsxEstate(true);
    const diff = diffReachability(before, after);
    expect(summary(diff.opened)).toEqual(['segment nsx/Web -> nsx/Db tcp/5432', 'workload nsx/web -> nsx/db tcp/5432']);
    expect(diff.closed).toEqual([]);
    const full = diffReachability(before, after, { compareEveryPair: true });
    expect([summary(full.opened), summary(full.closed)]).toEqual([summary(diff.opened), []]);
  });
});
