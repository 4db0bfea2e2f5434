import { vsphereNsx } from '../../examples/vsphere-nsx/main';
import { newApp, resourcesOf, synthApp } from '../helpers';
import { nsxAllows } from './nsx-fixtures';

describe('examples/vsphere-nsx', () => {
  test('synthesizes the three tiers with their flows, default deny both ways', () => {
    // GIVEN / WHEN
    const app = newApp();
    vsphereNsx(app);
    const out = synthApp(app)['vsphere-nsx'];

    // THEN
    expect(Object.keys(resourcesOf(out, 'nsxt_policy_vm_tags'))).toHaveLength(3);
    expect(Object.values<any>(resourcesOf(out, 'nsxt_policy_security_policy_rule')).map((r) => r.action).sort()).toEqual(['ALLOW', 'ALLOW', 'ALLOW', 'ALLOW', 'DROP', 'DROP']);
    expect(out.json.terraform.required_providers.nsxt.source).toBe('vmware/nsxt');
    const [web, api, db] = [{ vm: 'web-vm' }, { vm: 'app-vm' }, { vm: 'db-vm' }];
    expect(nsxAllows(out, { ip: '203.0.113.9' }, web, 'tcp', 443)).toBe(true);
    expect(nsxAllows(out, web, api, 'tcp', 8080)).toBe(true);
    expect(nsxAllows(out, api, db, 'tcp', 5432)).toBe(true);
    expect(nsxAllows(out, { ip: '198.51.100.20' }, db, 'tcp', 22)).toBe(true);
    expect(nsxAllows(out, web, db, 'tcp', 5432)).toBe(false);
    expect(nsxAllows(out, { ip: '203.0.113.9' }, db, 'tcp', 22)).toBe(false);
    expect(nsxAllows(out, db, { ip: '203.0.113.9' }, 'tcp', 443)).toBe(false);
  });
});
