/** Where the command writes: injectable so tests can run it in-process. */
export interface CliIo {
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Whether standard error is a terminal (progress lines are shown only then). @default false */
  readonly stderrIsTerminal?: boolean;
  /** The width of the terminal standard output writes to; undefined when it is not a terminal. @default undefined */
  readonly columns?: number;
}

/** The process's own streams. */
export const PROCESS_IO: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTerminal: process.stderr.isTTY === true,
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
};

/** Exit codes of the `microseg` command. */
export const EXIT = {
  /** The flow is allowed, or the command succeeded, or reachability is unchanged. */
  OK: 0,
  /** The flow is not allowed, or reachability changed (`diff`), or a check found an error (`check`). */
  DENIED: 1,
  /** The input was bad (missing directory, unknown endpoint, malformed port, bad usage). */
  BAD_INPUT: 2,
} as const;
