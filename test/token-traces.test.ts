import * as fs from 'fs';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { App, Lazy, TerraformOutput, TerraformStack, Tokenization } from 'cdktf';
import { newApp } from './helpers';
import { TokenTraces } from '../lib';
import { SMALL_ESTATES } from './performance/small-estates';
import { benchEstate, synthesizeApp } from './performance/synthesize-app';

const captureFrames = Error.captureStackTrace;

/** An instance built in `app`, and the creation traces of its `id` token and one of its nested blocks. */
function instanceTraces(stack: TerraformStack, id: string): { idTrace: string[]; blockTrace: string[] } {
  const vm = new Instance(stack, id, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro' });
  return { idTrace: Tokenization.reverseString(vm.id).firstToken!.creationStack, blockTrace: vm.creditSpecification.creationStack };
}

afterEach(() => {
  // a failed test must not leave capture paused for the next
  expect(TokenTraces.paused).toBe(false);
  expect(Error.captureStackTrace).toBe(captureFrames);
});

describe('TokenTraces', () => {
  test('GIVEN a pause WHEN the app builds a resource THEN its tokens have no trace, and those built after the resume have one', () => {
    const stack = new TerraformStack(new App(), 'app');
    const traces = TokenTraces.pause();
    let paused: ReturnType<typeof instanceTraces>;
    try {
      paused = instanceTraces(stack, 'paused');
    } finally {
      traces.resume();
    }
    const captured = instanceTraces(stack, 'captured');

    expect(paused.idTrace).toEqual([]);
    expect(paused.blockTrace).toEqual([]);
    expect(captured.idTrace.join('\n')).toMatch(/instanceTraces/);
    expect(captured.blockTrace.join('\n')).toMatch(/instanceTraces/);
  });

  test('GIVEN a pause THEN an error made and read within it keeps its whole trace', () => {
    class OwnTraceError extends Error {
      public constructor(message: string) {
        super(message);
        Error.captureStackTrace(this, OwnTraceError);
      }
    }
    function failingStep(): string[] {
      return [new Error('plain').stack!, new OwnTraceError('own').stack!];
    }
    const traces = TokenTraces.pause();
    let stacks: string[];
    try {
      stacks = failingStep();
    } finally {
      traces.resume();
    }
    expect(stacks[0]).toMatch(/^Error: plain\n\s+at failingStep /);
    expect(stacks[1]).toMatch(/^Error: own\n\s+at failingStep /);
  });

  test('GIVEN two pauses WHEN the first is resumed THEN capture stays paused until the second is, and a second resume changes nothing', () => {
    const first = TokenTraces.pause();
    const second = TokenTraces.pause();
    first.resume();
    first.resume();
    const stillPaused = TokenTraces.paused;
    const held: { stack?: unknown } = {};
    Error.captureStackTrace(held);
    second.resume();
    const after: { stack?: unknown } = {};
    Error.captureStackTrace(after);

    expect(stillPaused).toBe(true);
    expect(held.stack).toBe('');
    expect(TokenTraces.paused).toBe(false);
    expect(after.stack).toMatch(/\n\s+at /);
  });

  test('GIVEN an estate built while paused THEN its synthesized Terraform is byte-identical to the one built capturing', () => {
    const build = benchEstate('mixed', SMALL_ESTATES.mixed);
    const capturing = synthesizeApp(build, (_app, stacks) => stacks.estate.text);
    const paused = synthesizeApp((app) => {
      const traces = TokenTraces.pause();
      try {
        build(app);
      } finally {
        traces.resume();
      }
    }, (_app, stacks) => stacks.estate.text);

    expect(paused).toBe(capturing);
    expect(JSON.parse(paused).resource).toHaveProperty('aws_vpc_security_group_ingress_rule');
  });

  test('GIVEN the app synthesized inside a pause THEN the library\'s own pause while it renders hands capture back to it, and the resume restores V8\'s', () => {
    const app = newApp();
    const traces = TokenTraces.pause();
    let pausedAfterSynth: boolean;
    let held: { stack?: unknown };
    try {
      benchEstate('aws-sg', SMALL_ESTATES['aws-sg'])(app);
      app.synth();
      pausedAfterSynth = TokenTraces.paused;
      held = {};
      Error.captureStackTrace(held);
    } finally {
      traces.resume();
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
    expect(pausedAfterSynth).toBe(true);
    expect(held.stack).toBe('');
  });

  test('GIVEN a token made while paused that fails to resolve THEN synthesis fails with its cause', () => {
    const app = newApp();
    const stack = new TerraformStack(app, 'app');
    const traces = TokenTraces.pause();
    try {
      new TerraformOutput(stack, 'broken', {
        value: Lazy.stringValue({
          produce: () => {
            throw new Error('the address is not known yet');
          },
        }),
      });
    } finally {
      traces.resume();
    }
    try {
      expect(() => app.synth()).toThrow(/the address is not known yet/);
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });
});
