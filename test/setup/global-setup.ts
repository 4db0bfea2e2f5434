import { createRunDirectory } from './test-temp-directory';

/** Jest's global setup (see `createRunDirectory`). */
export default createRunDirectory;
