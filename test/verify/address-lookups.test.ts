import { estateOf } from '../../lib/verify/estate/estate';
import { resourceWithAddress } from '../../lib/verify/estate/resource-with-address';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { TerraformResource } from '../../lib/verify/model/terraform-model';
import { Value } from '../../lib/verify/model/value';
import { parseCidr } from '../../lib/verify/net/cidr';

// An address that exactly one interface has stands for that interface. A matrix looks up every
// external address its rules name, so each lookup must not read every interface again: an estate
// with thousands of host peers would take quadratic time.

/** An estate of `count` instances; instance i has 10.0.(i / 250).(i % 250 + 1), and the last two share one more address. */
function instances(count: number) {
  const resource: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) resource[`vm${i}`] = { ami: 'ami-1', instance_type: 't3.micro', private_ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}` };
  const model = loadTerraformStacks({ app: { resource: { aws_instance: resource } } });
  return { estate: estateOf(model), candidates: () => model.resourcesOfType('aws_instance') };
}

/** The instance's addresses as literal values, counting every read. */
function countingAddresses(count: number, reads: string[]) {
  return (resource: TerraformResource): readonly Value[] => {
    reads.push(resource.name);
    const own: Value[] = [{ kind: 'literal', value: String(resource.body.private_ip) }];
    // the last two instances also share 10.9.9.9 (and its IPv6 twin), which then names neither
    if (resource.name === `vm${count - 1}` || resource.name === `vm${count - 2}`) own.push({ kind: 'literal', value: '10.9.9.9' }, { kind: 'literal', value: 'fd00:0:0::9' });
    return own;
  };
}

describe('the interface with an address', () => {
  test('GIVEN 1,000 instances WHEN 500 addresses are looked up THEN each instance\'s addresses are read once, and each address finds its one instance', () => {
    const count = 1000;
    const { estate, candidates } = instances(count);
    const reads: string[] = [];
    const addressesOf = countingAddresses(count, reads);
    const found: string[] = [];
    for (let i = 0; i < 500; i++) {
      const text = `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}/32`;
      found.push(resourceWithAddress(estate, 'test', candidates, addressesOf, parseCidr(text)!)?.name ?? 'none');
    }
    expect(found).toEqual(Array.from({ length: 500 }, (_, i) => `vm${i}`));
    expect(reads.length).toBe(count);
    expect(new Set(reads).size).toBe(count);
  });

  test('GIVEN two instances with one address WHEN it is looked up, in any spelling THEN neither stands for it', () => {
    const { estate, candidates } = instances(10);
    const addressesOf = countingAddresses(10, []);
    const lookup = (text: string) => resourceWithAddress(estate, 'test', candidates, addressesOf, parseCidr(text)!)?.name;
    expect([lookup('10.9.9.9'), lookup('10.9.9.9/32'), lookup('fd00::9'), lookup('fd00:0::9/128')]).toEqual([undefined, undefined, undefined, undefined]);
    // the address of one instance alone, written without a prefix length, finds it
    expect(lookup('10.0.0.3')).toBe('vm2');
  });

  test('GIVEN an address range WHEN it is looked up THEN it names no instance and no instance is read', () => {
    const { estate, candidates } = instances(10);
    const reads: string[] = [];
    const addressesOf = countingAddresses(10, reads);
    expect(resourceWithAddress(estate, 'test', candidates, addressesOf, parseCidr('10.0.0.1/31')!)).toBeUndefined();
    expect(resourceWithAddress(estate, 'test', candidates, addressesOf, parseCidr('fd00::/64')!)).toBeUndefined();
    expect(reads).toEqual([]);
  });
});
