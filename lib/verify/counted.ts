/**
 * A count with its noun in the right number: `counted(1, 'resource')` is `1 resource`, `counted(2,
 * 'resource')` is `2 resources`. Give `plural` when adding `s` is wrong, or to agree a verb
 * (`counted(n, 'point passes', 'points pass')`).
 */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
