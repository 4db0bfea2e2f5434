import { CommanderError } from 'commander';
import { CliIo, EXIT, PROCESS_IO } from './cli-io';
import { buildProgram } from './program';
import { VerifyInputError } from '../verify/errors';

const QUIET_EXITS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/**
 * Runs the `microseg` command with the given arguments (without `node` and the script) and returns
 * its exit code: 0 allowed / success, 1 denied, 2 bad input. Errors are one line on stderr.
 */
export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  let exitCode: number = EXIT.OK;
  const program = buildProgram(io, (code) => { exitCode = code; });
  if (argv.length === 0) {
    io.stderr(`${program.helpInformation()}`);
    return EXIT.BAD_INPUT;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) return QUIET_EXITS.has(error.code) ? EXIT.OK : EXIT.BAD_INPUT;
  const message = error instanceof VerifyInputError ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
  io.stderr(`microseg: ${message.split('\n')[0]}\n`);
  return EXIT.BAD_INPUT;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
