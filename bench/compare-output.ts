import * as fs from 'fs';

/**
 * How the floor's output compares to the library's: `identical` (byte for byte), `same resources`
 * (the same resource addresses by type, the bytes differ), or a description of the difference.
 */
export function compareOutputs(libraryFile: string, floorFile: string): string {
  const library = fs.readFileSync(libraryFile);
  const floor = fs.readFileSync(floorFile);
  if (library.equals(floor)) return 'identical';
  const addresses = (json: any) => Object.entries<any>(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)).sort();
  const a = addresses(JSON.parse(library.toString('utf8')));
  const b = addresses(JSON.parse(floor.toString('utf8')));
  if (a.length === b.length && a.every((address, i) => address === b[i])) return 'same resources';
  const missing = a.filter((address) => !b.includes(address));
  return `different resources (${a.length} vs ${b.length}${missing.length ? `, e.g. missing ${missing[0]}` : ''})`;
}
