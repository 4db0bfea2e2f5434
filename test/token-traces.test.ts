import * as fs from 'fs';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { Lazy, TerraformOutput, TerraformStack, Tokenization } from 'cdktf';
import { newApp } from './helpers';
import { TokenTraces } from '../lib';
import { SMALL_ESTATES } from './performance/small-estates';
import { benchEstate, synthesizeApp } from './performance/synthesize-app';
import { resetTraceCapturePauses } from '../lib/private/token-trace-pauses';

const captureFrames = Error.captureStackTrace;

/** An instance built in `stack`, and the creation traces of its `id` token and one of its nested blocks. */
function instanceTraces(stack: TerraformStack, id: string): { idTrace: string[]; blockTrace: string[] } {
  const vm = new Instance(stack, id, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro' });
  return { idTrace: Tokenization.reverseString(vm.id).firstToken!.creationStack, blockTrace: vm.creditSpecification.creationStack };
}

/** Runs `body` inside a pause, resuming it whatever happens. */
function paused<T>(body: () => T): T {
  const traces = TokenTraces.pause();
  try {
    return body();
  } finally {
    traces.resume();
  }
}

/** Synthesizes an app with one output whose value fails to resolve, built inside a pause or not; returns the error's message. */
function resolutionError(pause: boolean): string {
  const app = newApp();
  try {
    const build = () => new TerraformOutput(new TerraformStack(app, 'app'), 'broken', {
      value: Lazy.stringValue({
        produce: () => {
          throw new Error('the address is not known yet');
        },
      }),
    });
    if (pause) paused(build);
    else build();
    app.synth();
    return 'no error';
  } catch (error) {
    return (error as Error).message;
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

afterEach(() => {
  const clean = !TokenTraces.paused && Error.captureStackTrace === captureFrames;
  // a failed test must not leave capture paused for the next
  resetTraceCapturePauses();
  Error.captureStackTrace = captureFrames;
  expect(clean).toBe(true);
});

describe('TokenTraces', () => {
  test('GIVEN a pause WHEN the app builds a resource THEN its tokens have no trace, and those built after the resume have one', () => {
    const app = newApp();
    const stack = new TerraformStack(app, 'app');
    const pausedTraces = paused(() => instanceTraces(stack, 'paused'));
    const captured = instanceTraces(stack, 'captured');
    fs.rmSync(app.outdir, { recursive: true, force: true });

    expect(pausedTraces.idTrace).toEqual([]);
    expect(pausedTraces.blockTrace).toEqual([]);
    expect(captured.idTrace.join('\n')).toMatch(/instanceTraces/);
    expect(captured.blockTrace.join('\n')).toMatch(/instanceTraces/);
  });

  test('GIVEN a pause THEN an error made and read within it keeps its whole trace, with no frame of the pause', () => {
    class OwnTraceError extends Error {
      public constructor(message: string) {
        super(message);
        Error.captureStackTrace(this);
      }
    }
    function failingStep(): string[] {
      return [new Error('plain').stack!, new OwnTraceError('own').stack!];
    }
    const stacks = paused(failingStep);

    expect(stacks[0]).toMatch(/^Error: plain\n\s+at failingStep /);
    // V8 starts an error's own capture at its constructor when not told where to stop
    expect(stacks[1]).toMatch(/^Error: own\n\s+at new OwnTraceError .*\n\s+at failingStep /);
    expect(stacks[1]).not.toMatch(/pausedCapture/);
  });

  test('GIVEN a pause THEN a module reading its caller\'s frames into a plain object still gets them', () => {
    // the pattern of modules such as depd: structured call sites through prepareStackTrace
    function callerFrames(): NodeJS.CallSite[] {
      const holder: { stack?: NodeJS.CallSite[] } = {};
      const format = Error.prepareStackTrace;
      Error.prepareStackTrace = (_error, frames) => frames;
      try {
        Error.captureStackTrace(holder, callerFrames);
        return holder.stack!;
      } finally {
        Error.prepareStackTrace = format;
      }
    }
    function caller(): NodeJS.CallSite[] {
      return callerFrames();
    }
    const frames = paused(caller);

    expect(frames[0].getFunctionName()).toBe('caller');
  });

  test('GIVEN two pauses WHEN the first is resumed THEN capture stays paused until the second is, and a second resume changes nothing', () => {
    const first = TokenTraces.pause();
    const second = TokenTraces.pause();
    first.resume();
    first.resume();
    const stillPaused = TokenTraces.paused;
    const app = newApp();
    const stack = new TerraformStack(app, 'app');
    const held = instanceTraces(stack, 'held');
    second.resume();
    const after = instanceTraces(stack, 'after');
    fs.rmSync(app.outdir, { recursive: true, force: true });

    expect(stillPaused).toBe(true);
    expect(held.idTrace).toEqual([]);
    expect(TokenTraces.paused).toBe(false);
    expect(after.idTrace.length).toBeGreaterThan(0);
    expect(Error.captureStackTrace).toBe(captureFrames);
  });

  test('GIVEN another module that wraps the capture during a pause and restores it after THEN tokens are traced again once the pause ends', () => {
    const traces = TokenTraces.pause();
    const pausedCapture = Error.captureStackTrace;
    Error.captureStackTrace = (target, below) => pausedCapture(target, below);
    traces.resume();
    // the other module restores what it found: the pause's function
    Error.captureStackTrace = pausedCapture;
    const app = newApp();
    const after = instanceTraces(new TerraformStack(app, 'app'), 'after');
    fs.rmSync(app.outdir, { recursive: true, force: true });
    Error.captureStackTrace = captureFrames;

    expect(TokenTraces.paused).toBe(false);
    expect(after.idTrace.join('\n')).toMatch(/instanceTraces/);
  });

  test('GIVEN an estate built while paused THEN its tokens have no trace and its synthesized Terraform is byte-identical to the one built capturing', () => {
    const build = benchEstate('mixed', SMALL_ESTATES.mixed);
    const capturing = synthesizeApp(build, (_app, stacks) => stacks.estate.text);
    let tokenTrace: string[] = ['not read'];
    const pausedText = synthesizeApp((app) => paused(() => {
      build(app);
      const stack = app.node.findChild('estate') as TerraformStack;
      const instance = stack.node.findAll().find((c): c is Instance => c instanceof Instance)!;
      tokenTrace = Tokenization.reverseString(instance.id).firstToken!.creationStack;
    }), (_app, stacks) => stacks.estate.text);

    expect(tokenTrace).toEqual([]);
    expect(pausedText).toBe(capturing);
    expect(JSON.parse(pausedText).resource).toHaveProperty('aws_vpc_security_group_ingress_rule');
  });

  test('GIVEN the app synthesized inside a pause THEN the library\'s own pause while it renders hands capture back to it, and the resume restores V8\'s', () => {
    const app = newApp();
    const traces = TokenTraces.pause();
    let pausedAfterSynth: boolean;
    let held: string[];
    try {
      benchEstate('aws-sg', SMALL_ESTATES['aws-sg'])(app);
      app.synth();
      pausedAfterSynth = TokenTraces.paused;
      held = instanceTraces(new TerraformStack(app, 'later'), 'vm').idTrace;
    } finally {
      traces.resume();
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
    expect(pausedAfterSynth).toBe(true);
    expect(held).toEqual([]);
  });

  test('GIVEN a token made while paused that fails to resolve THEN synthesis fails with its cause, without the trace of where it was made', () => {
    const pausedMessage = resolutionError(true);
    const capturedMessage = resolutionError(false);

    expect(pausedMessage).toMatch(/the address is not known yet/);
    expect(pausedMessage).not.toMatch(/Object creation stack/);
    expect(capturedMessage).toMatch(/the address is not known yet\.\nObject creation stack:\n {2}at /);
  });
});
