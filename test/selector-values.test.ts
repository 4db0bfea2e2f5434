import { DenyFlow, Segment } from '../lib';
import { awsStack, errorOf, newApp, synthApp } from './helpers';

// A selector value "" (often `process.env.X ?? ''`) selects nothing, since no workload carries an
// empty label value: a DenyFlow with it would guard nothing. It fails synthesis, as a label does.

describe('an empty selector value', () => {
  test('on a segment fails synthesis, naming the segment and the label', () => {
    const app = newApp();
    new Segment(awsStack(app, 'w'), 'Prod', { selector: { app: 'shop', env: '' } });
    expect(errorOf(() => synthApp(app))).toContain(
      "Segment 'w/Prod' has a selector whose label \"env\" has the value \"\", which no workload carries (label values are non-empty strings). Give the value, or leave the label out of the selector.");
  });

  test('on a DenyFlow side fails synthesis instead of guarding nothing', () => {
    const app = newApp();
    new DenyFlow(awsStack(app, 'w'), 'NoDev', { fromSelector: { env: '' }, toSelector: { env: 'prod' } });
    expect(errorOf(() => synthApp(app))).toContain("Segment 'w/NoDev/From' has a selector whose label \"env\" has the value \"\"");
  });
});
