/**
 * A problem with what the caller asked for or handed in (a missing directory, an unknown endpoint,
 * a malformed port), as opposed to a bug: the CLI prints its message as one line.
 */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyInputError';
  }
}
