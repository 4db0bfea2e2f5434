/** Where the command writes: injectable so tests can run it in-process. */
export interface CliIo {
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
}

/** The process's own streams. */
export const PROCESS_IO: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Exit codes of the `microseg` command. */
export const EXIT = {
  /** The flow is allowed, or the command succeeded. */
  OK: 0,
  /** The flow is not allowed. */
  DENIED: 1,
  /** The input was bad (missing directory, unknown endpoint, malformed port, bad usage). */
  BAD_INPUT: 2,
} as const;
