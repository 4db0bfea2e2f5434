import { loadFixture } from './fixtures';
import { evaluate } from '../../lib/verify/evaluate';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';

// What one query reads of a large estate: the resources of the types its answer needs, never every
// resource of the JSON (a query on the 10x bench estate must not build what it does not ask about).

/** `count` resources of a type the AWS layers never read, that record every read of their names or bodies. */
function watchedResources(count: number, reads: string[]): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) resources[`nic${i}`] = { name: `nic${i}`, private_ip_address: `10.1.1.${i}` };
  return new Proxy(resources, {
    get: (target, key) => {
      if (typeof key === 'string') reads.push(`get ${key}`);
      return Reflect.get(target, key);
    },
    ownKeys: (target) => {
      reads.push('keys');
      return Reflect.ownKeys(target);
    },
  });
}

describe('what a query reads', () => {
  test('GIVEN an AWS estate beside resources of another platform WHEN an AWS flow is queried THEN the other resources are never read', () => {
    // GIVEN the AWS fixture with 50 Azure network interfaces that record every read
    const reads: string[] = [];
    const json = JSON.parse(JSON.stringify(loadFixture('aws-sg').stacks[0].json));
    json.resource.azurerm_network_interface = watchedResources(50, reads);
    const model = loadTerraformStacks({ app: json });
    // WHEN
    const verdict = evaluate(model, { from: 'app/Web', to: 'app/Api', port: 'tcp/8080' });
    // THEN the verdict is the fixture's, and no Azure interface was listed or read
    expect([verdict.allowed, verdict.paths.length]).toEqual([true, 1]);
    expect(reads).toEqual([]);
  });
});
