import { NETWORK_ACL_CAPABILITIES, SECURITY_GROUP_CAPABILITIES } from '../../lib/aws/capabilities';
import { NSG_CAPABILITIES } from '../../lib/azure/capabilities';
import { inexpressiblePorts } from '../../lib/model/capabilities';
import { coversPort, intersectPortSpecs, mergePortSpecs, parsePortKey, portKey, PortSpec } from '../../lib/model/ports';
import { Port, Protocol } from '../../lib/port';
import { NSX_CAPABILITIES } from '../../lib/vsphere/capabilities';

const sctp = (from: number, to: number = from): PortSpec => ({ protocol: 'sctp', from, to });

describe('SCTP ports in the port algebra', () => {
  test('GIVEN the SCTP factories WHEN read as model specs THEN they are SCTP ranges, and every SCTP port is 0-65535', () => {
    expect(Port.sctp(38412)._toSpec()).toEqual(sctp(38412));
    expect(Port.sctpRange(36412, 36422)._toSpec()).toEqual(sctp(36412, 36422));
    expect(Port.allSctp()._toSpec()).toEqual(sctp(0, 65535));
    expect(Port.allSctp().protocol).toBe(Protocol.SCTP);
    expect(Port.sctp(38412).validate()).toEqual([]);
  });

  test('GIVEN SCTP ports WHEN written as text and parsed back THEN the round trip gives the same port', () => {
    expect(Port.sctp(38412).toString()).toBe('sctp/38412');
    expect(Port.sctpRange(36412, 36422).toString()).toBe('sctp/36412-36422');
    expect(Port.parse('sctp/38412')._toSpec()).toEqual(sctp(38412));
    expect(Port.parse('SCTP/36412-36422')._toSpec()).toEqual(sctp(36412, 36422));
    expect(Port.parse('sctp')._toSpec()).toEqual(sctp(0, 65535));
    expect(portKey(sctp(38412))).toBe('sctp/38412');
    expect(parsePortKey('sctp/38412')).toEqual(sctp(38412));
    expect(parsePortKey(portKey(sctp(36412, 36422)))).toEqual(sctp(36412, 36422));
  });

  test('GIVEN overlapping SCTP and TCP ranges WHEN merged THEN SCTP ranges join among themselves only, after TCP and UDP', () => {
    const merged = mergePortSpecs([sctp(38413, 38420), { protocol: 'tcp', from: 38412, to: 38412 }, sctp(38412), sctp(38421), sctp(9000)]);
    expect(merged).toEqual([{ protocol: 'tcp', from: 38412, to: 38412 }, sctp(9000), sctp(38412, 38421)]);
    expect(mergePortSpecs([sctp(1), { protocol: 'all', from: -1, to: -1 }])).toEqual([{ protocol: 'all', from: -1, to: -1 }]);
  });

  test('GIVEN SCTP specs WHEN intersected or checked for a port THEN SCTP matches SCTP only, by range', () => {
    expect(intersectPortSpecs(sctp(38000, 38500), sctp(38412, 39000))).toEqual(sctp(38412, 38500));
    expect(intersectPortSpecs(sctp(1, 100), sctp(200, 300))).toBeUndefined();
    expect(intersectPortSpecs(sctp(38412), { protocol: 'tcp', from: 0, to: 65535 })).toBeUndefined();
    expect(intersectPortSpecs({ protocol: 'all', from: -1, to: -1 }, sctp(38412))).toEqual(sctp(38412));
    expect(coversPort(sctp(38412), 'sctp', 38412)).toBe(true);
    expect(coversPort(sctp(38412), 'sctp', 38413)).toBe(false);
    expect(coversPort(sctp(0, 65535), 'tcp', 38412)).toBe(false);
  });
});

describe('SCTP on platforms that cannot match its ports', () => {
  test('GIVEN SCTP ports WHEN AWS or NSX rules would render them THEN only every SCTP port fits, with one message shape', () => {
    expect(inexpressiblePorts([sctp(0, 65535)], SECURITY_GROUP_CAPABILITIES)).toBeUndefined();
    expect(inexpressiblePorts([sctp(0, 65535)], NETWORK_ACL_CAPABILITIES)).toBeUndefined();
    expect(inexpressiblePorts([sctp(0, 65535)], NSX_CAPABILITIES)).toBeUndefined();
    expect(inexpressiblePorts([{ protocol: 'tcp', from: 443, to: 443 }, sctp(38412)], SECURITY_GROUP_CAPABILITIES))
      .toBe('names SCTP port 38412, but security group rules cannot match SCTP ports: a rule for IP protocol 132 matches every SCTP port. Use Port.allSctp() if that is acceptable, or keep the flow off AWS.');
    expect(inexpressiblePorts([sctp(36412, 36422)], NETWORK_ACL_CAPABILITIES))
      .toBe('names SCTP ports 36412-36422, but network ACL entries cannot match SCTP ports: a rule for IP protocol 132 matches every SCTP port. Use Port.allSctp() if that is acceptable, or keep the flow off AWS.');
    expect(inexpressiblePorts([sctp(38412)], NSX_CAPABILITIES))
      .toBe('names SCTP port 38412, but NSX rules cannot match SCTP ports: a rule for IP protocol 132 matches every SCTP port. Use Port.allSctp() if that is acceptable, or keep the flow off NSX.');
  });

  test('GIVEN any SCTP WHEN Azure NSG rules would render it THEN it does not fit: no NSG protocol stands for SCTP', () => {
    expect(inexpressiblePorts([sctp(0, 65535)], NSG_CAPABILITIES))
      .toBe('names SCTP, but Azure NSG rules cannot match SCTP (no rule protocol stands for it). Keep the flow off Azure, for example on Kubernetes pods, whose NetworkPolicy matches SCTP ports.');
    expect(inexpressiblePorts([{ protocol: 'tcp', from: 443, to: 443 }], NSG_CAPABILITIES)).toBeUndefined();
  });
});
