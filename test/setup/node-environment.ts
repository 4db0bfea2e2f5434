import NodeEnvironment from 'jest-environment-node';

/**
 * Jest's node environment, except that stack traces captured on plain objects are formatted by
 * V8's rules instead of through jest's source maps.
 *
 * cdktf records the creation stack of every token it makes (`Intrinsic`, `Lazy`, the resolvables of
 * complex lists: cdktf/lib/tokens/private/stack-trace.js) by reading the `stack` of a plain object
 * with an unlimited frame count. Under jest each such read maps every frame through the source maps
 * of the test file: a quarter of the CPU time of a suite that synthesizes, for text cdktf prints only
 * when a token fails to resolve. Such a stack keeps its innermost {@link PLAIN_FRAMES} frames: where
 * the token was made, not the frames of jest's runner below the test. Errors (`instanceof Error`:
 * failures, thrown synth errors) keep jest's source-mapped traces, every frame.
 */
export default class TestEnvironment extends NodeEnvironment {
  constructor(...args: ConstructorParameters<typeof NodeEnvironment>) {
    super(...args);
    const testRealmError = this.global.Error as ErrorConstructor;
    // Jest installs its source-map formatter on this realm's Error after the environment is made.
    const jestFormatter = () => Error.prepareStackTrace;
    testRealmError.prepareStackTrace = (error: unknown, trace: NodeJS.CallSite[]) => {
      const formatter = jestFormatter();
      if (error instanceof testRealmError && formatter) return formatter(error as Error, trace);
      return plainStack(error, trace);
    };
  }
}

/**
 * How many frames a stack captured on a plain object keeps. cdktf captures every frame of every token
 * it makes; formatting them all was a twentieth of a synthesizing suite's CPU time.
 */
const PLAIN_FRAMES = 16;

/** The stack as V8 formats it when no formatter is installed, its innermost {@link PLAIN_FRAMES} frames. */
function plainStack(error: unknown, trace: readonly NodeJS.CallSite[]): string {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  const header = `${typeof name === 'string' && name ? name : 'Error'}: ${typeof message === 'string' ? message : ''}`;
  return header + trace.slice(0, PLAIN_FRAMES).map((frame) => `\n    at ${frame}`).join('');
}
