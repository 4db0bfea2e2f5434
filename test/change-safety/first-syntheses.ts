import * as fs from 'fs';

/**
 * The first synthesis of each "before" version a change-safety suite compares, made once per suite.
 *
 * A first synthesis starts from no allocation file, so a version gives the same output and the same
 * allocation file every time: a suite whose changes mostly start from one base estate synthesizes it
 * once, and each change gets its own copy of the allocation file that synthesis wrote. Versions are
 * told apart by their JSON (the specs are plain data and `Port`s). A result is shared by the tests
 * that start from the same version: they read it and never modify it.
 */
export class FirstSyntheses<Spec, Result> {
  private readonly bySpec = new Map<string, { readonly result: Result; readonly allocations?: string }>();

  /** @param synthesize synthesizes a version with an allocation file (which it writes when there is anything to keep) */
  public constructor(private readonly synthesize: (spec: Spec, allocationFile: string) => Result) {}

  /**
   * The first synthesis of `spec`, with the allocation file it writes at `allocationFile` (a path
   * where no file is yet), as if `spec` were synthesized there now.
   */
  public of(spec: Spec, allocationFile: string): Result {
    if (fs.existsSync(allocationFile)) throw new Error(`a first synthesis starts from no allocation file, but ${allocationFile} exists`);
    const key = JSON.stringify(spec);
    const known = this.bySpec.get(key);
    if (known) {
      if (known.allocations !== undefined) fs.writeFileSync(allocationFile, known.allocations);
      return known.result;
    }
    const result = this.synthesize(spec, allocationFile);
    this.bySpec.set(key, { result, allocations: fs.existsSync(allocationFile) ? fs.readFileSync(allocationFile, 'utf8') : undefined });
    return result;
  }
}
