import { parseExpression, splitTemplate } from '../../lib/verify/model/expression-parser';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { Resolver } from '../../lib/verify/model/resolver';

const model = loadTerraformStacks({
  a: {
    resource: {
      aws_security_group: { web: { name: 'web' } },
      aws_instance: { vm: { private_ip: '10.0.0.5', vpc_security_group_ids: ['${aws_security_group.web.id}'] }, bare: {} },
    },
    output: { 'cross-stack-output-aws_security_groupwebid': { value: '${aws_security_group.web.id}' } },
  },
  b: {
    data: { terraform_remote_state: { 'cross-stack-reference-input-a': { backend: 'local' } } },
    resource: { aws_security_group: { local: { name: 'local' } } },
  },
});
const resolver = new Resolver(model);
const REMOTE = 'data.terraform_remote_state.cross-stack-reference-input-a.outputs.cross-stack-output-aws_security_groupwebid';

describe('expression parsing', () => {
  test('splits templates into text and interpolations, honouring nested braces and escapes', () => {
    expect(splitTemplate('${a.b}/32')).toEqual([{ expression: 'a.b' }, { text: '/32' }]);
    expect(splitTemplate('x $${literal} ${f({a = 1})}')).toEqual([{ text: 'x ${literal} ' }, { expression: 'f({a = 1})' }]);
  });

  test('parses references, calls, lists, strings and numbers; rejects other syntax', () => {
    expect(parseExpression('concat([a.b.id], ["x", 1])')).toEqual({
      type: 'call',
      name: 'concat',
      args: [
        { type: 'list', items: [{ type: 'reference', parts: ['a', 'b', 'id'] }] },
        { type: 'list', items: [{ type: 'string', value: 'x' }, { type: 'number', value: 1 }] },
      ],
    });
    expect(parseExpression('a.b[0].c')).toEqual({ type: 'reference', parts: ['a', 'b', '0', 'c'] });
    expect(parseExpression('a ? b : c')).toBeUndefined();
  });
});

describe('resolving values', () => {
  test('identity attributes name the resource; configured attributes resolve to their value', () => {
    expect(resolver.value('a', '${aws_security_group.web.id}')).toEqual({ kind: 'reference', key: 'a/aws_security_group.web', attribute: 'id' });
    expect(resolver.value('a', '${aws_security_group.web.arn}')).toEqual({ kind: 'reference', key: 'a/aws_security_group.web', attribute: 'arn' });
    expect(resolver.value('a', '${aws_instance.vm.private_ip}/32')).toEqual({ kind: 'literal', value: '10.0.0.5/32' });
  });

  test('an attribute that is not configured stays a canonical symbolic expression', () => {
    expect(resolver.value('a', '${aws_instance.bare.private_ip}/32')).toEqual({ kind: 'symbolic', text: '${a/aws_instance.bare.private_ip}/32' });
    expect(resolver.value('a', '${var.cidr}')).toEqual({ kind: 'symbolic', text: '${a:var.cidr}' });
    expect(resolver.value('a', '${cidrsubnet("10.0.0.0/8", 8, 1)}')).toMatchObject({ kind: 'symbolic' });
  });

  test('remote-state outputs resolve into the producing stack', () => {
    expect(resolver.value('b', `\${${REMOTE}}`)).toEqual({ kind: 'reference', key: 'a/aws_security_group.web', attribute: 'id' });
  });

  test('concat flattens lists across stacks, and references to list attributes follow the configuration', () => {
    expect(resolver.values('b', `\${concat([${REMOTE}], [aws_security_group.local.id])}`).map((v) => (v.kind === 'reference' ? v.key : v)))
      .toEqual(['a/aws_security_group.web', 'b/aws_security_group.local']);
    expect(resolver.values('a', '${aws_instance.vm.vpc_security_group_ids}')).toEqual([{ kind: 'reference', key: 'a/aws_security_group.web', attribute: 'id' }]);
  });
});

describe('resolving the attributes that name a resource\'s primary address', () => {
  const addresses = loadTerraformStacks({
    s: {
      resource: {
        azurerm_network_interface: {
          fixed: { ip_configuration: [{ name: 'a', private_ip_address_allocation: 'Dynamic' }, { name: 'b', primary: true, private_ip_address_allocation: 'Static', private_ip_address: '10.1.1.20' }] },
          dynamic: { ip_configuration: [{ name: 'a', private_ip_address_allocation: 'Dynamic' }] },
        },
        aws_network_interface: { eni: { private_ips: ['10.0.0.7', '10.0.0.8'] }, bare: {} },
        aws_instance: { vm: { private_ip: '10.0.0.5' } },
        vsphere_virtual_machine: { vm: { clone: [{ customize: [{ network_interface: [{ ipv4_address: '10.9.0.10' }, { ipv4_address: '10.9.0.11' }] }] }] }, bare: {} },
      },
    },
  });
  const r = new Resolver(addresses);

  test('an Azure NIC\'s private_ip_address is its primary ip_configuration\'s static address', () => {
    // GIVEN a NIC whose primary ip_configuration is static (the address Workload errors recommend: nic.privateIpAddress)
    // WHEN / THEN
    expect(r.value('s', '${azurerm_network_interface.fixed.private_ip_address}/32')).toEqual({ kind: 'literal', value: '10.1.1.20/32' });
    expect(r.values('s', '${azurerm_network_interface.fixed.private_ip_addresses}')).toEqual([{ kind: 'literal', value: '10.1.1.20' }]);
  });

  test('AWS ENI private_ip / private_ips, instance private_ip and vSphere default_ip_address resolve to the configured address', () => {
    expect(r.value('s', '${aws_network_interface.eni.private_ip}')).toEqual({ kind: 'literal', value: '10.0.0.7' });
    expect(r.values('s', '${aws_network_interface.eni.private_ips}').map((v) => v.kind === 'literal' && v.value)).toEqual(['10.0.0.7', '10.0.0.8']);
    expect(r.value('s', '${aws_instance.vm.private_ip}')).toEqual({ kind: 'literal', value: '10.0.0.5' });
    expect(r.value('s', '${vsphere_virtual_machine.vm.default_ip_address}/32')).toEqual({ kind: 'literal', value: '10.9.0.10/32' });
  });

  test('an address known only at apply stays a reference with one canonical attribute', () => {
    expect(r.value('s', '${azurerm_network_interface.dynamic.private_ip_address}')).toEqual({ kind: 'reference', key: 's/azurerm_network_interface.dynamic', attribute: 'private_ip_address' });
    expect(r.values('s', '${aws_network_interface.bare.private_ips}')).toEqual([{ kind: 'reference', key: 's/aws_network_interface.bare', attribute: 'private_ip' }]);
    expect(r.value('s', '${vsphere_virtual_machine.bare.default_ip_address}')).toEqual({ kind: 'reference', key: 's/vsphere_virtual_machine.bare', attribute: 'default_ip_address' });
  });
});
