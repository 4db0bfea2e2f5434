/**
 * Turns V8's stack trace formatting off until the returned function is called, which turns it back
 * on as it was. Call it in a `finally`.
 *
 * cdktf captures the whole call stack of every token it creates (an attribute read, a computed map
 * of a provider resource) and keeps it as text in case resolving the token fails, whatever the
 * app's `stackTraces` setting. For the resources the library builds those traces name only the
 * library's own functions; formatting them took a fifth of the time spent building the rules, and
 * their text stayed in the live heap for the whole synthesis. With formatting off such a token keeps
 * an empty trace. Errors keep theirs: V8 formats an error's stack when it is first read, after
 * formatting is back on.
 *
 * A function pair rather than a callback, so the code that builds resources is no deeper in the
 * stack than it would be without it (every frame is collected for every token all the same).
 */
export function pauseTokenTraces(): () => void {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = noTrace;
  return () => {
    Error.prepareStackTrace = previous;
  };
}

function noTrace(): string {
  return '';
}
