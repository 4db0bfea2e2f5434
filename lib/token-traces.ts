import { emptyTrace } from './private/token-traces';

/** How many pauses are open, and the capture function they replaced. */
let open = 0;
let replaced: typeof Error.captureStackTrace | undefined;
let installed: typeof Error.captureStackTrace | undefined;

/**
 * An open pause of token trace capture, begun by {@link TokenTraces.pause}.
 */
export class TokenTracePause {
  private resumed = false;

  /** @internal */
  constructor() {
    if (open++ > 0) return;
    replaced = Error.captureStackTrace;
    const capture = replaced;
    // an error (a class that sets its own trace in its constructor) is captured as before
    installed = (target: object, below?: Function) => (target instanceof Error ? capture(target, below) : emptyTrace(target));
    Error.captureStackTrace = installed;
  }

  /**
   * Ends this pause: traces are captured again once every pause begun is resumed. Calling it again
   * does nothing.
   */
  public resume(): void {
    if (this.resumed) return;
    this.resumed = true;
    if (--open > 0) return;
    // another module that replaced the function since keeps its replacement (and restores ours)
    if (Error.captureStackTrace === installed) Error.captureStackTrace = replaced!;
    replaced = undefined;
    installed = undefined;
  }
}

/**
 * cdktf's traces of where each token was created.
 *
 * cdktf captures the whole call stack of every token it creates, and keeps it as text to name where
 * the token came from should resolving it ever fail, whatever the app's `stackTraces` setting: an
 * attribute read, and every nested block of a provider resource (17 for each `aws_instance`, made
 * when the instance is). In an app that builds thousands of resources those traces are much of the
 * heap (in the bench's `aws-sg` estate, 56 MB of the 133 MB in use after cdktf's preparation, for its
 * 2,000 instances) and capturing them much of the time. The library never keeps traces of the
 * resources it builds itself; an app can pause the capture while it builds its own:
 *
 * ```ts
 * const traces = TokenTraces.pause();
 * try {
 *   new ShopStack(app, 'shop');
 * } finally {
 *   traces.resume();
 * }
 * app.synth();
 * ```
 *
 * What it costs: a token created while paused has an empty trace, so an error resolving it says
 * what went wrong but not where the token was made (resume capture to find out). Errors keep their
 * traces, and nothing else about synthesis changes: the output is byte for byte the same.
 */
export class TokenTraces {
  /**
   * Stops cdktf (and the constructs library) capturing a stack trace for each token and metadata
   * entry made from now on, until the returned pause is resumed. Pauses nest: capture comes back
   * when the last one open is resumed.
   */
  public static pause(): TokenTracePause {
    return new TokenTracePause();
  }

  /** Whether a pause is open now. */
  public static get paused(): boolean {
    return open > 0;
  }

  private constructor() {}
}
