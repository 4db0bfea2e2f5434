import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AllowFlow, AzureBinding, AzureEnforcement, DenyFlow, GuardrailAllow, Port, Segment, Workload } from '../../lib';
import '../../lib/verify/jest';
import { PolicyRegistry } from '../../lib/registry';
import { newApp, resourcesOf, SynthesizedStack, synthApp } from '../helpers';
import { azureStack, fields } from './azure-fixtures';

// A DenyFlow's deny rules and the allow rules of a GuardrailAllow that carves an exception from it
// are separate azurerm_network_security_rule resources (the allow's lower priority wins). Each deny
// rule depends on the allow rules in its NSG and direction, so Terraform creates the allows first and
// destroys them last: the excepted flow, allowed before and after the change, never drops mid-apply.

const RULE = 'azurerm_network_security_rule';
const SUBNET_NSG = '${azurerm_network_security_group.Azure_SubnetNsg0_470B3D4B.name}';
const DENY_IN = 'MicrosegAzure_net-Azure-subnet0-guardrail-deny-Inbound-net-Db-asg-net-Web-net-7f667881_335C9D94';
const DENY_OUT = 'MicrosegAzure_net-Azure-subnet0-guardrail-deny-Outbound-net-Web-asg-net-Db-net-dc9f4743_0D597A33';
const PG_IN = 'MicrosegAzure_net-Azure-subnet0-guardrail-allow-Inbound-net-Db-asg-net-Web-Tcp-net-6d5b0397_CE37C949';
const PG_OUT = 'MicrosegAzure_net-Azure-subnet0-guardrail-allow-Outbound-net-Web-asg-net-Db-Tcp-net-066ac8c7_62B2FF2C';
const ASG_WEB = '${azurerm_application_security_group.Azure_Asg-net-Web-a40af0d0_8C875851.id}';
const ASG_DB = '${azurerm_application_security_group.Azure_Asg-net-Db-aff92756_07677DE9.id}';

/** One VNet (stack `net`), segments Web and Db with one NIC each, and the application flow Web -> Db tcp/5432. */
function estate(app: App = newApp(), nicNsgs = false) {
  const { stack, rg, subnet, nic } = azureStack(app, 'net');
  new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id], nicNsgs });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
  new Workload(stack, 'Web1', { binding: AzureBinding.networkInterface(nic('web1')), labels: { tier: 'web' } });
  new Workload(stack, 'Db1', { binding: AzureBinding.networkInterface(nic('db1')), labels: { tier: 'db' } });
  new AllowFlow(stack, 'WebToDb', { from: web, to: db, ports: [Port.tcp(5432)] });
  return { app, stack, web, db };
}

/** The rule resources of a synthesized stack, by Terraform name. */
function rules(out: SynthesizedStack): Record<string, any> {
  return resourcesOf(out, RULE);
}

/** The Terraform names of a stack's rules that match `pick`, sorted. */
function namesOf(out: SynthesizedStack, pick: (rule: any) => boolean): string[] {
  return Object.entries<any>(rules(out)).filter(([, rule]) => pick(rule)).map(([name]) => name).sort();
}

/** Whether a rule is in the guardrail-deny band (150-199). */
const guardDeny = (rule: any) => rule.access === 'Deny' && rule.priority >= 150 && rule.priority <= 199;

/** Whether a rule is in the guardrail-allow band (100-149). */
const guardAllow = (rule: any) => rule.access === 'Allow' && rule.priority >= 100 && rule.priority <= 149;

describe('Azure: a DenyFlow\'s deny rules are applied after the GuardrailAllow rules excepted from them', () => {
  test('each deny rule depends on exactly the allow rule of the overlapping GuardrailAllow, inbound and outbound', () => {
    // GIVEN a DenyFlow Web -> Db (every port) and its exception Web -> Db tcp/5432
    const { app, stack, web, db } = estate();
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
    new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.tcp(5432)] });

    // WHEN
    const out = synthApp(app).net;
    // THEN once applied the exception holds and the rest of the DenyFlow does
    expect(stack).toAllowFlow('net/Web1', 'net/Db1', Port.tcp(5432));
    expect(stack).toDenyFlow('net/Web1', 'net/Db1', Port.SSH);

    // THEN the rules are the ones expected, all in the subnet NSG
    expect(rules(out)[DENY_IN]).toEqual(expect.objectContaining({ access: 'Deny', direction: 'Inbound', protocol: '*', source_application_security_group_ids: [ASG_WEB], destination_application_security_group_ids: [ASG_DB], network_security_group_name: SUBNET_NSG }));
    expect(rules(out)[DENY_OUT]).toEqual(expect.objectContaining({ access: 'Deny', direction: 'Outbound', protocol: '*', source_application_security_group_ids: [ASG_WEB], destination_application_security_group_ids: [ASG_DB], network_security_group_name: SUBNET_NSG }));
    expect(rules(out)[PG_IN]).toEqual(expect.objectContaining({ access: 'Allow', direction: 'Inbound', protocol: 'Tcp', destination_port_range: '5432', network_security_group_name: SUBNET_NSG }));
    expect(rules(out)[PG_OUT]).toEqual(expect.objectContaining({ access: 'Allow', direction: 'Outbound', protocol: 'Tcp', destination_port_range: '5432', network_security_group_name: SUBNET_NSG }));
    expect(rules(out)[PG_IN].priority).toBeLessThan(rules(out)[DENY_IN].priority);
    // AND each deny waits for the allow of its direction
    expect(rules(out)[DENY_IN].depends_on).toEqual([`${RULE}.${PG_IN}`]);
    expect(rules(out)[DENY_OUT].depends_on).toEqual([`${RULE}.${PG_OUT}`]);
    // AND no other rule gets an order
    for (const [name, body] of Object.entries<any>(rules(out))) if (name !== DENY_IN && name !== DENY_OUT) expect(body.depends_on).toBeUndefined();
  });

  test('with NIC NSGs, each deny rule depends on the allow rule of its own NSG and direction only', () => {
    // GIVEN the DenyFlow and its exception in an enforcement with a subnet NSG and one NSG per NIC
    const { app, stack, web, db } = estate(newApp(), true);
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
    new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.tcp(5432)] });

    // WHEN
    const out = synthApp(app).net;

    // THEN there are 3 NSGs x 2 directions deny rules, and as many allow rules
    const denies = namesOf(out, guardDeny);
    const allows = namesOf(out, guardAllow);
    expect(denies).toHaveLength(6);
    expect(allows).toHaveLength(6);
    // AND each deny names the one allow with its NSG and direction
    const allowOf = (deny: any) => allows.filter((name) => rules(out)[name].network_security_group_name === deny.network_security_group_name
      && rules(out)[name].direction === deny.direction);
    for (const name of denies) {
      const deny = rules(out)[name];
      expect(allowOf(deny)).toHaveLength(1);
      expect(deny.depends_on).toEqual([`${RULE}.${allowOf(deny)[0]}`]);
    }
    expect(new Set(denies.map((name) => rules(out)[name].network_security_group_name)).size).toBe(3);
  });

  test('a DenyFlow that no GuardrailAllow overlaps gets no depends_on', () => {
    // GIVEN a DenyFlow Web -> Db tcp/22 and a GuardrailAllow Web -> Db tcp/5432 (no common port)
    const { app, stack, web, db } = estate();
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db, ports: [Port.tcp(22)] });
    new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.tcp(5432)] });

    // WHEN
    const out = synthApp(app).net;

    // THEN both kinds of rules exist, unordered
    expect(namesOf(out, guardDeny)).toHaveLength(2);
    expect(namesOf(out, guardAllow)).toEqual([PG_IN, PG_OUT]);
    expect(Object.values(rules(out)).filter((rule) => rule.depends_on !== undefined)).toEqual([]);
  });

  test('an estate with a DenyFlow and no GuardrailAllow renders its deny rules as before (no depends_on)', () => {
    // GIVEN
    const { app, stack, web, db } = estate();
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });

    // WHEN
    const out = synthApp(app).net;

    // THEN the deny rule's fields are exactly those of the rendering without ordering
    expect(fields(rules(out)[DENY_IN])).toEqual({
      name: 'ms-in-Db-Web-all-34c57d00',
      resource_group_name: '${azurerm_resource_group.Rg.name}',
      network_security_group_name: SUBNET_NSG,
      priority: 174,
      direction: 'Inbound',
      access: 'Deny',
      protocol: '*',
      source_port_range: '*',
      destination_port_range: '*',
      source_application_security_group_ids: [ASG_WEB],
      destination_application_security_group_ids: [ASG_DB],
      description: 'guardrail: deny Web to Db all',
    });
    expect(Object.values(rules(out)).filter((rule) => rule.depends_on !== undefined)).toEqual([]);
  });

  test('an estate without guardrails synthesizes without depends_on', () => {
    // GIVEN only the application flow
    const { app } = estate();

    // WHEN
    const out = synthApp(app).net;

    // THEN
    expect(namesOf(out, (rule) => rule.access === 'Allow' && rule.priority >= 200 && rule.priority < 4095)).toHaveLength(2);
    expect(Object.values(rules(out)).filter((rule) => rule.depends_on !== undefined)).toEqual([]);
  });

  test('a GuardrailAllow declared after the app was rendered is waited for', () => {
    // GIVEN a rendered app with a DenyFlow
    const { app, stack, web, db } = estate();
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
    PolicyRegistry.of(stack).ensureRendered();

    // WHEN its exception is declared afterwards
    new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.tcp(5432)] });
    const out = synthApp(app).net;

    // THEN
    expect(rules(out)[DENY_IN].depends_on).toEqual([`${RULE}.${PG_IN}`]);
    expect(rules(out)[DENY_OUT].depends_on).toEqual([`${RULE}.${PG_OUT}`]);
  });

  test('a DenyFlow declared after the app was rendered waits for the GuardrailAllow declared before', () => {
    // GIVEN a rendered app with a GuardrailAllow
    const { app, stack, web, db } = estate();
    new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.tcp(5432)] });
    PolicyRegistry.of(stack).ensureRendered();

    // WHEN
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
    const out = synthApp(app).net;

    // THEN
    expect(rules(out)[DENY_IN].depends_on).toEqual([`${RULE}.${PG_IN}`]);
    expect(rules(out)[DENY_OUT].depends_on).toEqual([`${RULE}.${PG_OUT}`]);
  });

  test('a deny rule rendered again by a later declaration still names the allow rule', () => {
    // GIVEN a rendered app with the DenyFlow and its exception
    const { app, stack, web, db } = estate();
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
    new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.tcp(5432)] });
    PolicyRegistry.of(stack).ensureRendered();

    // WHEN a second DenyFlow between the same segments joins the same deny rules (rendered again under the same ids)
    new DenyFlow(stack, 'AlsoNoWebToDb', { from: web, to: db, description: 'audit' });
    const out = synthApp(app).net;

    // THEN the deny rules were rendered again (both DenyFlows in their provenance) and still wait for the allow rules
    expect(rules(out)[DENY_IN]['//'].microseg.guardrails).toEqual(['net/AlsoNoWebToDb', 'net/NoWebToDb']);
    expect(rules(out)[DENY_IN].depends_on).toEqual([`${RULE}.${PG_IN}`]);
    expect(rules(out)[DENY_OUT].depends_on).toEqual([`${RULE}.${PG_OUT}`]);
  });

  test('several exceptions are listed sorted by address, whatever the declaration order', () => {
    // GIVEN the DenyFlow and two exceptions between the same segments, declared in every order
    const declare = (order: Array<'deny' | 'pg' | 'alt'>) => {
      const { app, stack, web, db } = estate();
      for (const what of order) {
        if (what === 'deny') new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
        if (what === 'pg') new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.tcp(5432)] });
        if (what === 'alt') new GuardrailAllow(stack, 'WebDbDns', { from: web, to: db, ports: [Port.udp(53)] });
      }
      return synthApp(app).net;
    };
    const orders: Array<Array<'deny' | 'pg' | 'alt'>> = [['deny', 'pg', 'alt'], ['alt', 'pg', 'deny'], ['pg', 'deny', 'alt'], ['alt', 'deny', 'pg']];

    // WHEN
    const outs = orders.map(declare);

    // THEN every order gives each deny rule both allow rules (Tcp and Udp) of its direction, sorted
    const udpIn = namesOf(outs[0], (rule) => guardAllow(rule) && rule.direction === 'Inbound' && rule.protocol === 'Udp');
    const udpOut = namesOf(outs[0], (rule) => guardAllow(rule) && rule.direction === 'Outbound' && rule.protocol === 'Udp');
    expect(udpIn).toHaveLength(1);
    expect(udpOut).toHaveLength(1);
    const expectedIn = [`${RULE}.${PG_IN}`, `${RULE}.${udpIn[0]}`].sort();
    const expectedOut = [`${RULE}.${PG_OUT}`, `${RULE}.${udpOut[0]}`].sort();
    for (const out of outs) {
      expect(rules(out)[DENY_IN].depends_on).toEqual(expectedIn);
      expect(rules(out)[DENY_OUT].depends_on).toEqual(expectedOut);
      expect(out.text).toBe(outs[0].text);
    }
  });

  test('a GuardrailAllow declared in another stack is left out (its rules live in that stack)', () => {
    // GIVEN the DenyFlow in net and its exception declared in stack sec
    const app = newApp();
    const { stack, web, db } = estate(app);
    const sec = new TerraformStack(app, 'sec');
    new AzurermProvider(sec, 'azurerm', { features: [{}] });
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
    new GuardrailAllow(sec, 'WebDbPg', { from: web, to: db, ports: [Port.tcp(5432)] });

    // WHEN
    const out = synthApp(app);

    // THEN the allow rules are in sec, and the deny rules in net name nothing of sec
    expect(namesOf(out.sec, guardAllow)).toHaveLength(2);
    expect(namesOf(out.net, guardDeny)).toEqual([DENY_IN, DENY_OUT]);
    expect(Object.values(rules(out.net)).filter((rule) => rule.depends_on !== undefined)).toEqual([]);
  });
});
