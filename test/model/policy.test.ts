import { AddressAtom, NamedPeerAtom } from '../../lib/model/atom';
import { inexpressiblePorts, inexpressibleSide, PlatformCapabilities, unaddressedMemberProblem } from '../../lib/model/capabilities';
import { crossPlatformAddressProblems } from '../../lib/model/cross-platform-addresses';
import { ModelWorkload } from '../../lib/model/guardrail-semantics';
import { peerOf, peerSide, segmentSide, semanticSide } from '../../lib/model/policy-side';
import { membersSeenFrom } from '../../lib/model/remote-members';

const workload = (name: string, platform: string, addressCidrs: string[] = []): ModelWorkload => ({ endpointName: name, platform, addressCidrs });

const CAPS = (name: string, peerKinds: string[], extra: Partial<PlatformCapabilities> = {}): PlatformCapabilities => ({
  name, ruleName: `${name} rules`, platform: name, groups: 'groups', deny: true, stateless: false, icmpTypeCode: true, sctp: 'ports', peerKinds, matches: 'groups and addresses', addressExample: `${name}.ip`, ...extra,
});

const TAG: NamedPeerAtom = { kind: 'named', peerKind: 'azure-service-tag', value: 'Storage', written: 'Peer.azureServiceTag("Storage")', id: 'azure-service-tag-Storage' };

describe('the resolved policy model', () => {
  test('GIVEN members in two enforcements WHEN a segment side is built THEN it has one members atom per enforcement, in member order', () => {
    const [a, b, c] = [workload('app/A', 'aws'), workload('app/B', 'aws'), workload('app/C', 'external', ['192.0.2.1/32'])];
    const side = segmentSide('Web', [{ workload: a, enforcement: 'vpc1' }, { workload: b, enforcement: 'vpc2' }, { workload: c, enforcement: undefined }]);
    expect(side.atoms).toEqual([
      { kind: 'members', platform: 'aws', enforcement: 'vpc1', workloads: [a] },
      { kind: 'members', platform: 'aws', enforcement: 'vpc2', workloads: [b] },
      { kind: 'members', platform: 'external', enforcement: undefined, workloads: [c] },
    ]);
    expect(peerOf(side)).toBeUndefined();
    expect(semanticSide(side).atoms.map((x) => x.kind === 'workload' && x.workload.endpointName)).toEqual(['app/A', 'app/B', 'app/C']);
  });

  test('GIVEN a segment side WHEN seen from one enforcement THEN its own members are local, others are named by address, and its platform\'s members without addresses elsewhere are unaddressed', () => {
    const local = workload('app/Local', 'aws');
    const far = workload('app/Far', 'aws', ['10.1.0.5/32']);
    const farBare = workload('app/FarBare', 'aws');
    const unbound = workload('app/Unbound', 'aws');
    const azureBare = workload('app/AzureBare', 'azure');
    const side = segmentSide('Db', [
      { workload: local, enforcement: 'vpc1' }, { workload: far, enforcement: 'vpc2' }, { workload: farBare, enforcement: 'vpc2' },
      { workload: unbound, enforcement: undefined }, { workload: azureBare, enforcement: 'vnet' },
    ]);
    const seen = membersSeenFrom(side, 'aws', (e) => e === 'vpc1');
    expect(seen.local).toEqual([local]);
    expect(seen.remote).toEqual([far]);
    expect(seen.unaddressed).toEqual([{ workload: farBare, enforcement: 'vpc2' }]);
  });

  test('GIVEN a named peer WHEN platforms that cannot name it render it THEN they give the same message shape; one that can gives none', () => {
    const side = peerSide(TAG);
    expect(inexpressibleSide(peerOf(side)!, CAPS('Azure NSGs', ['azure-service-tag']), 'a/Azure')).toBeUndefined();
    const nsx = inexpressibleSide(TAG, CAPS('the NSX distributed firewall', []), 'dc/Nsx');
    const sg = inexpressibleSide(TAG, CAPS('AWS security groups', ['aws-prefix-list'], { matches: 'security groups, addresses and prefix lists' }), 'shop/Aws');
    expect(nsx).toBe('names Peer.azureServiceTag("Storage"), which the NSX distributed firewall of \'dc/Nsx\' cannot express (they match groups and addresses only), so the flow would be dropped there. Use Peer.ipv4() or Peer.ipv6() with the addresses behind it.');
    expect(sg).toBe('names Peer.azureServiceTag("Storage"), which AWS security groups of \'shop/Aws\' cannot express (they match security groups, addresses and prefix lists only), so the flow would be dropped there. Use Peer.ipv4() or Peer.ipv6() with the addresses behind it or Peer.awsPrefixList().');
    const address: AddressAtom = { kind: 'address', value: '10.0.0.0/8', expression: false, family: 'ipv4', written: 'Peer.ipv4("10.0.0.0/8")', id: 'ipv4-10.0.0.0_8' };
    expect(inexpressibleSide(address, CAPS('the NSX distributed firewall', []), 'dc/Nsx')).toBeUndefined();
  });

  test('GIVEN a member of another enforcement without addresses WHEN any platform reports it THEN the message has one shape', () => {
    expect(unaddressedMemberProblem('b/Vm', 'b/Nsx', CAPS('NSX', [], { addressExample: 'vm.defaultIpAddress' }), 'a/Nsx'))
      .toBe("needs the addresses of workload 'b/Vm' (in 'b/Nsx', whose groups the rules of 'a/Nsx' cannot name), but it has none. Give the workload addresses, for example addresses: [vm.defaultIpAddress].");
  });

  test('GIVEN an ICMP type WHEN a platform matches every ICMP message only THEN the ports do not fit', () => {
    const ports = [{ protocol: 'tcp' as const, from: 443, to: 443 }, { protocol: 'icmp' as const, from: 8, to: 0 }];
    expect(inexpressiblePorts(ports, CAPS('X', []))).toBeUndefined();
    expect(inexpressiblePorts(ports, CAPS('Azure NSGs', [], { icmpTypeCode: false, ruleName: 'Azure NSG rules', platform: 'Azure' })))
      .toBe('names ICMP type 8 code 0, but Azure NSG rules cannot match ICMP types or codes: its rule would match every ICMP message. Use Port.icmp() (every type) if that is acceptable, or keep the flow off Azure.');
  });

  test('GIVEN an ICMPv6 type WHEN a platform matches every message only THEN the problem names ICMPv6 and Port.icmpv6()', () => {
    const ports = [{ protocol: 'icmpv6' as const, from: 128, to: -1 }];
    expect(inexpressiblePorts(ports, CAPS('Azure NSGs', [], { icmpTypeCode: false, ruleName: 'Azure NSG rules', platform: 'Azure' })))
      .toBe('names ICMPv6 type 128, but Azure NSG rules cannot match ICMPv6 types or codes: its rule would match every ICMPv6 message. Use Port.icmpv6() (every type) if that is acceptable, or keep the flow off Azure.');
  });

  test('GIVEN a flow across platforms WHEN a managed member has no addresses THEN the other platform\'s rules need them; for a deny only platforms that deny', () => {
    const awsBare = workload('app/AwsVm', 'aws');
    const nsxVm = workload('app/NsxVm', 'nsx', ['10.2.0.4/32']);
    const platforms = { aws: CAPS('aws', [], { deny: false, addressExample: 'instance.privateIp' }), nsx: CAPS('nsx', []) };
    const from = segmentSide('Web', [{ workload: awsBare, enforcement: 'vpc' }]);
    const to = segmentSide('Db', [{ workload: nsxVm, enforcement: 'dc' }]);
    const expected = "needs the addresses of workload 'app/AwsVm' (aws) for the nsx rules of its other side, but it has none. Give the workload addresses, for example addresses: [instance.privateIp].";
    expect(crossPlatformAddressProblems(from, to, false, platforms)).toEqual([expected]);
    expect(crossPlatformAddressProblems(to, from, false, platforms)).toEqual([expected]);
    expect(crossPlatformAddressProblems(from, to, true, platforms)).toEqual([expected]);
    // the AWS side cannot deny: an NSX member without addresses is no problem for a deny
    const bareNsx = segmentSide('Db', [{ workload: workload('app/Bare', 'nsx'), enforcement: 'dc' }]);
    const awsWithAddress = segmentSide('Web', [{ workload: workload('app/Aws', 'aws', ['10.0.0.1/32']), enforcement: 'vpc' }]);
    expect(crossPlatformAddressProblems(awsWithAddress, bareNsx, true, platforms)).toEqual([]);
    expect(crossPlatformAddressProblems(awsWithAddress, bareNsx, false, platforms)).toHaveLength(1);
  });
});
