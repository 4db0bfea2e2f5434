import { EstateSize } from '../../bench/estates/size';

/**
 * Small versions of the bench estates, within every platform's quotas, that synthesize in a second
 * or two. The mixed one keeps one prod and one dev app, so that twice its size has the same mix.
 */
export const SMALL_ESTATES = {
  'aws-sg': { segments: 10, workloads: 100, flows: 60 },
  'aws-nacl': { segments: 10, workloads: 100, flows: 50 },
  'azure': { segments: 10, workloads: 100, flows: 40 },
  'nsx': { segments: 10, workloads: 100, flows: 45 },
  'mixed': { segments: 60, workloads: 120, flows: 100 },
} as const satisfies Record<string, EstateSize>;

/** The name of a small estate. */
export type SmallEstate = keyof typeof SMALL_ESTATES;

/** `[name, size]` of the named small estates, for `test.each`. */
export function smallEstates(...names: SmallEstate[]): Array<[SmallEstate, EstateSize]> {
  return names.map((name) => [name, SMALL_ESTATES[name]]);
}
