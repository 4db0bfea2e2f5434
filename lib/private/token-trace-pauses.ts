/** The pauses open now (see `TokenTraces.pause`), and how many of them empty every plain object's capture. */
let open = 0;
let emptyingEvery = 0;
/** The function the pauses replaced, and theirs, while one is open. */
let replaced: typeof Error.captureStackTrace | undefined;
let installed: typeof Error.captureStackTrace | undefined;

/**
 * Opens a pause of cdktf's token trace capture (the app's `TokenTraces.pause()`, the library's
 * while it renders); the returned function closes it (once). Pauses nest: the capture is replaced
 * while any is open. While one opened with `everyPlainObject` is open, any capture into a plain
 * object is left empty, not only cdktf's and constructs' (the library's render runs none but
 * theirs and its own).
 */
export function openTraceCapturePause(everyPlainObject = false): () => void {
  if (open++ === 0) install();
  if (everyPlainObject) emptyingEvery++;
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    if (everyPlainObject) emptyingEvery--;
    if (--open === 0) uninstall();
  };
}

/** Whether a pause is open. */
export function traceCapturePaused(): boolean {
  return open > 0;
}

/** Closes every pause and puts V8's capture back, whatever was left open (for tests that failed midway). */
export function resetTraceCapturePauses(): void {
  open = 0;
  emptyingEvery = 0;
  uninstall();
}

function install(): void {
  const capture = Error.captureStackTrace;
  replaced = capture;
  installed = function pausedCapture(target: object, below?: Function): void {
    // cdktf and constructs lift the frame limit for each trace they capture into a plain object; any
    // other capture (an error's, or a module reading its caller's frames) is left alone. The check
    // runs on each call, so a copy of this function that another module restores after the last
    // pause ends captures as before.
    if (open > 0 && !(target instanceof Error) && (emptyingEvery > 0 || Error.stackTraceLimit === Number.MAX_SAFE_INTEGER)) {
      emptyTrace(target);
      return;
    }
    capture(target, below ?? pausedCapture);
  };
  Error.captureStackTrace = installed;
}

/** What a paused capture leaves on a plain object (cdktf's and constructs' trace holders): an empty `stack`, as an empty capture formats. */
function emptyTrace(target: object): void {
  Object.defineProperty(target, 'stack', { value: '', writable: true, configurable: true });
}

function uninstall(): void {
  // a module that replaced the function since keeps its replacement (ours passes calls through)
  if (installed !== undefined && Error.captureStackTrace === installed) Error.captureStackTrace = replaced!;
  replaced = undefined;
  installed = undefined;
}
