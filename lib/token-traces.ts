import { openTraceCapturePause, traceCapturePaused } from './private/token-trace-pauses';

/**
 * An open pause of token trace capture, begun by {@link TokenTraces.pause}.
 */
export interface ITokenTracePause {
  /**
   * Ends this pause: traces are captured again once every pause begun is resumed. Calling it again
   * does nothing.
   */
  resume(): void;
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
 * What it costs: a token created while paused has no trace, so an error resolving it says what went
 * wrong but not where the token was made (resume capture to find out). The pause holds for the whole
 * process, so code that runs while the build awaits is paused too. It empties only the traces cdktf
 * and the constructs library capture (tokens, and construct metadata such as warnings, whose
 * `stacktrace` in `manifest.json` is then left out when `stackTraces` is on); errors and other
 * modules' captures keep theirs, and the Terraform written is byte for byte the same.
 */
export class TokenTraces {
  /**
   * Stops cdktf and the constructs library capturing a stack trace for each token and metadata entry
   * made from now on, until the returned pause is resumed. Pauses nest: capture comes back when the
   * last one open is resumed.
   */
  public static pause(): ITokenTracePause {
    return { resume: openTraceCapturePause() };
  }

  /** Whether a pause is open now: the app's, or the library's own while it renders its rules. */
  public static get paused(): boolean {
    return traceCapturePaused();
  }

  private constructor() {}
}
