import { AwsBinding, AwsEnforcement, DenyFlow, GuardrailAllow, Peer, Port, Segment, Workload } from '../../lib';
import * as breach from '../../lib/aws/guardrail-breach';
import { NetworkAclDenyPlanner } from '../../lib/aws/network-acl-deny-plan';
import * as semantics from '../../lib/model/guardrail-semantics';
import { awsStack, instance, newApp, synthApp } from '../helpers';

/** What one synthesis of the app of `apps` apps did (see the test). */
interface DenyWork {
  /** How many deny-entry plans of a DenyFlow were made. */
  readonly plans: number;
  /** How many times a flow was asked whether it is a GuardrailAllow's. */
  readonly grantQuestions: number;
  /** How many times the DenyFlow check indexed the app's flows by workload. */
  readonly flowIndexes: number;
  /** How many times the ports of a grant and a DenyFlow were compared. */
  readonly portComparisons: number;
  /** The network ACL deny entries written. */
  readonly denyEntries: number;
}

/**
 * Synthesizes an AWS app of `apps` apps, each with a dev and a prod segment of four instances on
 * subnets of their own (network ACLs on), dev reaching prod on 443, a DenyFlow from dev to prod on
 * SSH and a GuardrailAllow from a monitoring network to prod: the DenyFlows and the GuardrailAllows
 * grow with the apps.
 */
function synthesize(apps: number): DenyWork {
  const spies = {
    plans: jest.spyOn(NetworkAclDenyPlanner.prototype, 'plan'),
    grantQuestions: jest.spyOn(GuardrailAllow, 'isGuardrailFlow'),
    flowIndexes: jest.spyOn(breach, 'flowIndex'),
    portComparisons: jest.spyOn(semantics, 'commonPorts'),
  };
  try {
    const app = newApp();
    const stack = awsStack(app, 'estate');
    const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0bench', networkAcls: true });
    for (let a = 0; a < apps; a++) {
      const dev = new Segment(stack, `Dev${a}`, { selector: { app: `app${a}`, env: 'dev' } });
      const prod = new Segment(stack, `Prod${a}`, { selector: { app: `app${a}`, env: 'prod' } });
      for (const [env, subnet, segment] of [['dev', 1, dev], ['prod', 2, prod]] as const) {
        enforcement.addSubnet({ segment, subnetId: `subnet-${env}${a}`, cidr: `10.${a}.${subnet}.0/24` });
        for (let i = 0; i < 4; i++) {
          const vm = instance(stack, `${env}${a}-${i}`, { privateIp: `10.${a}.${subnet}.${10 + i}` });
          new Workload(stack, `W-${env}${a}-${i}`, { binding: AwsBinding.instance(vm), labels: { app: `app${a}`, env } });
        }
      }
      prod.allowFrom(dev, Port.tcp(443));
      new DenyFlow(stack, `NoDevToProd${a}`, { from: dev, to: prod, ports: [Port.SSH] });
      new GuardrailAllow(stack, `Monitoring${a}`, { from: Peer.ipv4('192.0.2.0/24'), to: prod, ports: [Port.tcp(9100)] });
    }
    const rules = Object.values<any>(synthApp(app).estate.json.resource.aws_network_acl_rule);
    return {
      plans: spies.plans.mock.calls.length,
      grantQuestions: spies.grantQuestions.mock.calls.length,
      flowIndexes: spies.flowIndexes.mock.calls.length,
      portComparisons: spies.portComparisons.mock.calls.length,
      denyEntries: rules.filter((rule) => rule.rule_action === 'deny').length,
    };
  } finally {
    Object.values(spies).forEach((spy) => spy.mockRestore());
  }
}

describe('DenyFlows and GuardrailAllows cost in proportion to their number', () => {
  const once = synthesize(10);
  const twice = synthesize(20);

  test('each DenyFlow\'s network ACL entries are planned a fixed number of times, not once per DenyFlow declared after it', () => {
    // GIVEN apps of 10 and 20 apps, a DenyFlow each, on subnets with network ACLs
    // THEN each DenyFlow is rendered: SSH from the dev subnet (which holds dev's hosts only) denied at
    // prod's ingress, and to the prod subnet at dev's egress
    expect(once.denyEntries).toBe(10 * 2);
    expect(twice.denyEntries).toBe(20 * 2);
    // AND twice the DenyFlows take at most about twice the plans (every DenyFlow's event planned every
    // DenyFlow declared so far: 65, then 230)
    expect(once.plans).toBeGreaterThan(0);
    expect(twice.plans / once.plans).toBeLessThanOrEqual(2.2);
  });

  test('the GuardrailAllow flows are found once per declaration state, not once per DenyFlow or grant checked', () => {
    // (every DenyFlow's plan, every DenyFlow check and every grant's exception check went through every
    // flow: 1,940, then 11,680; now 80, then 160)
    expect(once.grantQuestions).toBeGreaterThan(0);
    expect(twice.grantQuestions / once.grantQuestions).toBeLessThanOrEqual(2.2);
  });

  test('the security-group check of every DenyFlow reads the app\'s flows once', () => {
    // (it sorted, resolved and indexed every flow again for each DenyFlow: 10, then 20 indexes)
    expect(once.flowIndexes).toBeGreaterThan(0);
    expect(twice.flowIndexes).toBe(once.flowIndexes);
  });

  test('a grant whose sides no shared range names is not compared with the DenyFlows', () => {
    // GIVEN grants from a CIDR to instances with addresses of their own: nothing to widen, and no
    // grant overlaps a DenyFlow (other source, other port)
    // THEN no grant's ports are compared with a DenyFlow's (each grant was, with every DenyFlow: 100, then 400)
    expect(once.portComparisons).toBe(0);
    expect(twice.portComparisons).toBe(0);
  });
});
