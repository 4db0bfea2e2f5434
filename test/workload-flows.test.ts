import { AllowFlow, AzureBinding, AzureEnforcement, Peer, Port, Segment, Workload } from '../lib';
import '../lib/verify/jest';
import { azureStack } from './azure/azure-fixtures';
import { newApp, synthApp } from './helpers';

/**
 * Stack `az` with an enforcement, a Web NIC workload and a Db NIC workload in no segment; `declare`
 * adds flows. Returns the workloads and the synthesized JSON.
 */
function estate(declare: (web: Workload, db: Workload) => void) {
  const app = newApp();
  const az = azureStack(app, 'az');
  new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
  const web = new Workload(az.stack, 'Web', { binding: AzureBinding.networkInterface(az.nic('web-nic')) });
  const db = new Workload(az.stack, 'Db', { binding: AzureBinding.networkInterface(az.nic('db-nic')) });
  declare(web, db);
  return { web, db, json: synthApp(app).az.json };
}

/** The flow rules of a synthesized stack by Terraform address: name, direction, ports, description. */
function flowRules(json: any): Record<string, { name: string; direction: string; ports: string; description: string }> {
  const out: Record<string, any> = {};
  for (const [address, rule] of Object.entries<any>(json.resource.azurerm_network_security_rule)) {
    if (!rule['//']?.microseg?.flows) continue;
    out[address] = { name: rule.name, direction: rule.direction, ports: rule.destination_port_range ?? rule.destination_port_ranges.join(','), description: rule.description };
  }
  return out;
}

describe('Workload.allowFrom / allowTo', () => {
  test('GIVEN db.allowFrom(web, POSTGRES) THEN the evaluator allows web to db on 5432 only, one way', () => {
    const { web, db, json } = estate((w, d) => { d.allowFrom(w, Port.POSTGRES); });
    expect(json).toAllowFlow(web, db, Port.POSTGRES);
    expect(json).toDenyFlow(web, db, Port.SSH);
    expect(json).toDenyFlow(db, web, Port.POSTGRES);
  });

  test('GIVEN web.allowTo(db, POSTGRES) THEN it is the same traffic as db.allowFrom(web, POSTGRES)', () => {
    const { web, db, json } = estate((w, d) => { w.allowTo(d, Port.POSTGRES); });
    expect(json).toAllowFlow(web, db, Port.POSTGRES);
    expect(json).toDenyFlow(web, db, Port.tcp(5433));
  });

  test('the flow is a child of the workload with a port-free stable identity', () => {
    let flow: AllowFlow | undefined;
    estate((w, d) => { flow = d.allowFrom(w, Port.POSTGRES, Port.SSH); });
    expect(flow!.node.path).toBe('az/Db/AllowFrom-az-Web-tcp-22_tcp-5432');
    expect(flow!.identity).toBe('az/Db/AllowFrom-az-Web');
  });

  test('WHEN the ports of a workload\'s flow are edited THEN its rules keep their addresses and names, only the ports change', () => {
    const before = flowRules(estate((w, d) => { d.allowFrom(w, Port.POSTGRES); }).json);
    const after = flowRules(estate((w, d) => { d.allowFrom(w, Port.POSTGRES, Port.tcp(6432)); }).json);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(Object.keys(before)).toHaveLength(2);
    for (const address of Object.keys(before)) {
      expect(after[address].name).toBe(before[address].name);
      expect(before[address].ports).toBe('5432');
      expect(after[address].ports).toBe('5432,6432');
    }
  });

  test('a workload names a peer too: web.allowTo(Peer.azureServiceTag("Storage"), HTTPS)', () => {
    const { web, json } = estate((w) => { w.allowTo(Peer.azureServiceTag('Storage'), Port.HTTPS); });
    expect(json).toAllowFlow(web, 'tag:Storage', Port.HTTPS);
    expect(json).toDenyFlow(web, 'tag:Sql', Port.HTTPS);
  });
});

describe('the options forms carry a description', () => {
  test('Workload.allowFromWith and allowToWith: the description is the rules\' description', () => {
    const { web, db, json } = estate((w, d) => {
      d.allowFromWith(w, { ports: [Port.POSTGRES], description: 'orders read and write' });
      w.allowToWith(Peer.azureServiceTag('Storage'), { ports: [Port.HTTPS], description: 'invoice archive' });
    });
    const descriptions = Object.values(flowRules(json)).map((rule) => `${rule.direction} ${rule.ports} ${rule.description}`).sort();
    expect(descriptions).toEqual(['Inbound 5432 orders read and write', 'Outbound 443 invoice archive', 'Outbound 5432 orders read and write']);
    expect(json).toAllowFlow(web, db, Port.POSTGRES);
  });

  test('Segment.allowFromWith / allowToWith / allowInternallyWith make the same flows as the variadic forms, with the description', () => {
    const app = newApp();
    const az = azureStack(app, 'az');
    const segment = new Segment(az.stack, 'Api');
    const plain = segment.allowFrom(Peer.ipv4('10.9.0.0/16'), Port.HTTPS);
    const described = segment.allowFromWith(Peer.ipv4('10.9.0.0/16'), { ports: [Port.HTTPS], description: 'partner' });
    expect(described).toBe(plain); // the same flow: declared once
    const to = segment.allowToWith(Peer.azureServiceTag('Storage'), { ports: [Port.HTTPS], description: 'blobs' });
    const internal = segment.allowInternallyWith({ ports: [Port.tcp(7000)], description: 'gossip' });
    expect([to.description, to.identity]).toEqual(['blobs', 'az/Api/AllowTo-azure-service-tag-Storage']);
    expect([internal.description, internal.identity]).toEqual(['gossip', 'az/Api/AllowInternal']);
  });

  test('an options form without ports fails the synth like the variadic form', () => {
    const app = newApp();
    const az = azureStack(app, 'az');
    new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
    const web = new Workload(az.stack, 'Web', { binding: AzureBinding.networkInterface(az.nic('web-nic')) });
    web.allowFromWith(Peer.anyIpv4(), { ports: [], description: 'nothing' });
    expect(() => app.synth()).toThrow("AllowFlow 'az/Web/AllowFrom-ipv4-0.0.0.0_0-none' has no ports.");
  });
});
