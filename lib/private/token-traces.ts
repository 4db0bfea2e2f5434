/**
 * Turns stack trace capture off until the returned function is called, which turns it back on as
 * it was. Call it in a `finally`.
 *
 * cdktf captures the whole call stack of every token it creates (an attribute read, a computed map
 * of a provider resource) and keeps it as text in case resolving the token fails, whatever the
 * app's `stackTraces` setting. For the resources the library builds those traces name only the
 * library's own functions. Formatting them took a fifth of the time spent building the rules, and
 * their text stayed in the live heap for the whole synthesis; collecting the frames, which V8 does
 * for every frame below (cdktf lifts the frame limit for each capture), took a tenth of the render
 * of a large estate.
 *
 * While paused, `Error.captureStackTrace` gives a plain object (what cdktf and constructs capture
 * into) an empty `stack` without collecting anything, and a trace V8 formats comes out empty, so
 * such a token keeps an empty trace. Errors keep theirs: V8 collects an error's frames when it is
 * created, or when its constructor calls `Error.captureStackTrace` (which still collects for an
 * error), and formats them when its stack is first read, after formatting is back on. Node's own
 * errors use a copy of `Error.captureStackTrace` taken at start-up. A module that keeps its own
 * copy of the function, loaded while paused, would keep the paused one: none of the library's
 * lazily loaded modules does.
 *
 * A function pair rather than a callback, so the code that builds resources is no deeper in the
 * stack than it would be without it.
 */
export function pauseTokenTraces(): () => void {
  const previousFormat = Error.prepareStackTrace;
  const previousCapture = Error.captureStackTrace;
  Error.prepareStackTrace = noTrace;
  // an error (a class that sets its trace in its constructor) is captured as before: V8 formats it
  // when its stack is first read, after formatting is back on
  Error.captureStackTrace = function pausedCapture(target: object, below?: Function): void {
    if (target instanceof Error) previousCapture(target, below ?? pausedCapture);
    else emptyTrace(target);
  };
  return () => {
    Error.prepareStackTrace = previousFormat;
    Error.captureStackTrace = previousCapture;
  };
}

function noTrace(): string {
  return '';
}

/** What a paused capture leaves on a plain object (cdktf's and constructs' trace holders): the `stack` a capture formatted by {@link noTrace} would give. */
export function emptyTrace(target: object): void {
  Object.defineProperty(target, 'stack', { value: '', writable: true, configurable: true });
}
