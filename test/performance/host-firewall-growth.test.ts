import { App, TerraformStack } from 'cdktf';
import { ValidateBinaryVersion } from 'cdktf/lib/validations/validate-binary-version';
import { AllowFlow, Port, Workload } from '../../lib';
import { HostBinding, HostFirewallEnforcement } from '../../lib/host';
import * as nftables from '../../lib/host/nftables-rule-set';
import { ResolvedPolicy } from '../../lib/render/resolve-policy';
import { newApp, synthApp } from '../helpers';
import { callsDuring } from './calls-during';
import { buildHostServers } from './host-servers';

/** The app of {@link buildHostServers}: `servers` instances, every other one with its HostFirewall. */
function hostEstate(servers: number): App {
  const app = newApp();
  buildHostServers(app, servers);
  return app;
}

/** How many times a flow side was resolved, and how many times a workload's host firewall settings were looked up, while `app` was synthesized. */
function workOf(app: App): { sides: number; lookups: number } {
  let lookups = 0;
  const sides = callsDuring(() => jest.spyOn(ResolvedPolicy.prototype, 'semanticSide'), () => {
    lookups = callsDuring(() => jest.spyOn(HostFirewallEnforcement, 'of'), () => synthApp(app));
  });
  return { sides, lookups };
}

describe('host firewalls of many servers', () => {
  test('read each server\'s own flows, and look each server up once per firewall declared, not once per server', () => {
    // GIVEN estates of 40 and of 80 servers, half of them with a HostFirewall, in a chain of flows
    // WHEN each is synthesized, counting resolved flow sides and host firewall lookups
    const once = workOf(hostEstate(40));
    const twice = workOf(hostEstate(80));
    // THEN the smaller estate did some of both (every flow is resolved, every server looked up)
    expect(once.sides).toBeGreaterThan(40);
    expect(once.lookups).toBeGreaterThan(40);
    // AND twice the servers cost at most about twice as much: reading every flow for each server's
    // rules (three times over) made the sides 4.1 times, and looking at every server for each
    // HostFirewall declared made the lookups 3.7 times
    expect(twice.sides / once.sides).toBeLessThanOrEqual(2.3);
    expect(twice.lookups / once.lookups).toBeLessThanOrEqual(2.3);
  });

  test('a server\'s rules are the same whichever firewall declaration renders it, and its rule set is written once', () => {
    // GIVEN the 40-server estate, synthesized, counting the rule set texts written
    let stack: any;
    const texts = callsDuring(() => jest.spyOn(nftables, 'nftablesRuleSet'), () => {
      stack = synthApp(hostEstate(40)).hosts.json;
    });
    // THEN each of the 20 firewalled servers' rule set text was written once (its SSM document is
    // resolved in each pass of the synthesis, which wrote it twice)
    expect(texts).toBe(20);
    // AND each of the 20 firewalled servers has its rule set, and no other server has one
    const documents = Object.values<any>(stack.resource.aws_ssm_document);
    const protectedServers = documents.map((d) => d['//'].microseg.hostFirewall.workload).sort();
    expect(protectedServers).toEqual(Array.from({ length: 20 }, (_, k) => `hosts/Server${2 * k}`).sort());
    // AND a middle server accepts SSH from the previous server and may reach the next
    const middle = documents.find((d) => d['//'].microseg.hostFirewall.workload === 'hosts/Server10')['//'].microseg.hostFirewall;
    expect(middle.rules.map((r: any) => [r.direction, r.peers, r.ports, r.flows])).toEqual([
      ['in', ['10.0.0.10/32'], ['tcp/22'], ['hosts/Ssh10']],
      ['out', ['10.0.0.12/32'], ['tcp/22'], ['hosts/Ssh11']],
    ]);
  });

  test('check the Terraform binary\'s version once per stack, not once per host', () => {
    // GIVEN two stacks of 30 servers each, known by address, whose rule sets are carried by terraform_data
    const app = newApp();
    for (const name of ['east', 'west']) {
      const stack = new TerraformStack(app, name);
      let previous: Workload | undefined;
      for (let i = 0; i < 30; i++) {
        const server = new Workload(stack, `Server${i}`, { binding: HostBinding.linux([`10.${name === 'east' ? 1 : 2}.0.${i + 1}`]) });
        if (previous) new AllowFlow(stack, `Ssh${i}`, { from: previous, to: server, ports: [Port.SSH] });
        previous = server;
      }
    }
    // WHEN the app is synthesized, counting the checks of a binary's version (each starts `terraform version`)
    let carriers = 0;
    const versionChecks = callsDuring(() => jest.spyOn(ValidateBinaryVersion.prototype, 'validate'), () => {
      const stacks = synthApp(app);
      carriers = Object.values(stacks).reduce((n, stack) => n + Object.keys(stack.json.resource.terraform_data).length, 0);
    });
    // THEN each of the 60 servers has its terraform_data carrier, and Terraform was asked three
    // times: once per stack when it is synthesized, and once more for the second stack when the
    // first checks the whole app before anything is written (cdktf's DataResource asks once per
    // instance: 90 processes of about 0.1 s each)
    expect(carriers).toBe(60);
    expect(versionChecks).toBe(3);
  });
});
