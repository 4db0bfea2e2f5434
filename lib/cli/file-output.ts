import { VerifyInputError } from '../verify/errors';

/**
 * Runs `write` and turns a file-system failure (a missing folder, a file where a folder should be,
 * no permission) into bad input naming the option and the path: `cannot write --out DIR "x": not a
 * directory`. Other errors pass through.
 */
export function writingTo<T>(option: string, target: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw error;
    throw new VerifyInputError(`cannot write ${option} "${target}": ${reasonOf(error as Error, code)}`);
  }
}

/** The system's reason without the code and the syscall (`ENOTDIR: not a directory, mkdir '/x'` -> `not a directory`). */
function reasonOf(error: Error, code: string): string {
  const match = /^E[A-Z]+: ([^,]+),/.exec(error.message);
  return match ? `${match[1]} (${code})` : error.message;
}
