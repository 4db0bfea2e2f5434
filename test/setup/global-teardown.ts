import { removeRunDirectory } from './test-temp-directory';

/** Jest's global teardown (see `removeRunDirectory`). */
export default removeRunDirectory;
