import * as fs from 'fs';
import * as path from 'path';

/** The version in the package's package.json (`0.0.0` when it cannot be read). */
export function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
