/** Size of a generated estate. */
export interface EstateSize {
  readonly segments: number;
  readonly workloads: number;
  readonly flows: number;
}

/** `size` with every count multiplied by `factor` (the growth guard's 2x, the bench's 10x). */
export function scaled(size: EstateSize, factor: number): EstateSize {
  return { segments: size.segments * factor, workloads: size.workloads * factor, flows: size.flows * factor };
}
