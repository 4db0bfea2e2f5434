import { unsafeChanges } from './impact';
import { ChangeImpact } from '../../lib/verify/diff/change-impact';

// The suite's verdict on one row: what drops or fails, minus what a pinned warning announces.

const FLOW = 'team-a/WebToApi';

function movedFlowImpact(): ChangeImpact {
  return {
    stacks: [{
      stack: 'team-a',
      destroyed: [{
        stack: 'team-a',
        address: 'aws_vpc_security_group_ingress_rule.web_api',
        type: 'aws_vpc_security_group_ingress_rule',
        action: 'destroy',
        reasons: ['address gone'],
        createBeforeDestroy: false,
        refusedTogether: [],
        flows: [FLOW],
        guardrails: [],
      }],
      replaced: [],
      updated: [],
      created: [],
    }],
    interrupted: [{
      level: 'workload',
      from: 'platform/web1',
      to: 'platform/api1',
      ports: ['tcp/8080'],
      flows: [FLOW],
      resources: ['team-a:aws_vpc_security_group_ingress_rule.web_api'],
      moments: ['while stack team-a applies (platform applied; team-b not yet applied)'],
    }],
    interruptedFlows: [FLOW],
    duplicates: [{ kind: 'moves-stack', when: 'between-stack-applies', resources: ['team-a:a', 'team-b:a'], flows: [FLOW], detail: 'the rule moves' }],
  };
}

const PIN = { id: /microseg[-:]rule-moves-stack/, names: ['team-a', 'team-b'] };

describe('unsafeChanges', () => {
  test('GIVEN no warning THEN the dropped flow and the move are reported, with the resource and why', () => {
    expect(unsafeChanges(movedFlowImpact(), [], PIN)).toEqual({
      interrupted: [
        `${FLOW} drops (tcp/8080 platform/web1 -> platform/api1) while stack team-a applies (platform applied; team-b not yet applied), `
        + 'via destroy team-a:aws_vpc_security_group_ingress_rule.web_api (address gone)',
      ],
      duplicates: ['moves-stack (between-stack-applies): the rule moves'],
    });
  });

  test('GIVEN the pinned warning naming the flow and both stacks THEN nothing is left', () => {
    const warning = `[microseg:rule-moves-stack] AllowFlow '${FLOW}' moves from stack team-a to stack team-b: its traffic drops between the two applies.`;
    expect(unsafeChanges(movedFlowImpact(), [warning], PIN)).toEqual({ interrupted: [], duplicates: [] });
  });

  test('GIVEN the pinned warning naming the flow by its new path THEN nothing is left', () => {
    const warning = "[microseg-rule-moves-stack] AllowFlow 'team-b/WebToApi': its rule moves from stack 'team-a' to stack 'team-b'.";
    expect(unsafeChanges(movedFlowImpact(), [warning], PIN)).toEqual({ interrupted: [], duplicates: [] });
  });

  test.each([
    ['another id', `[microseg:something-else] AllowFlow '${FLOW}' moves from stack team-a to stack team-b.`],
    ['another flow', '[microseg:rule-moves-stack] AllowFlow \'team-a/Other\' moves from stack team-a to stack team-b.'],
    ['one stack only', `[microseg:rule-moves-stack] AllowFlow '${FLOW}' moves to stack team-b.`],
  ])('GIVEN a warning with %s THEN the flow is still reported', (_case, warning) => {
    const result = unsafeChanges(movedFlowImpact(), [warning], PIN);
    expect([result.interrupted.length, result.duplicates.length]).toEqual([1, 1]);
  });

  test('GIVEN no pin for the row THEN even the right warning excuses nothing', () => {
    const warning = `[microseg:rule-moves-stack] AllowFlow '${FLOW}' moves from stack team-a to stack team-b.`;
    const result = unsafeChanges(movedFlowImpact(), [warning]);
    expect([result.interrupted.length, result.duplicates.length]).toEqual([1, 1]);
  });
});
