import { openTraceCapturePause } from './token-trace-pauses';

/**
 * Turns stack trace capture off while the library renders, until the returned function is called,
 * which turns it back on as it was. Call it in a `finally`.
 *
 * cdktf captures the whole call stack of every token it creates (an attribute read, a computed map
 * of a provider resource) and keeps it as text in case resolving the token fails, whatever the
 * app's `stackTraces` setting. For the resources the library builds those traces name only the
 * library's own functions. Formatting them took a fifth of the time spent building the rules, and
 * their text stayed in the live heap for the whole synthesis; collecting the frames, which V8 does
 * for every frame below (cdktf lifts the frame limit for each capture), took a tenth of the render
 * of a large estate.
 *
 * It is a pause of the kind an app opens with `TokenTraces.pause()` (errors keep their traces),
 * stricter: any capture into a plain object leaves an empty `stack` without collecting anything,
 * and any trace V8 formats while it lasts comes out empty, so that a capture through a copy of the
 * function taken before the pause keeps no text either. An error's frames are collected when it is
 * created and formatted when its stack is first read, after formatting is back on.
 *
 * A function pair rather than a callback, so the code that builds resources is no deeper in the
 * stack than it would be without it.
 */
export function pauseTokenTraces(): () => void {
  const previousFormat = Error.prepareStackTrace;
  const resumeCapture = openTraceCapturePause(true);
  Error.prepareStackTrace = noTrace;
  return () => {
    Error.prepareStackTrace = previousFormat;
    resumeCapture();
  };
}

function noTrace(): string {
  return '';
}
