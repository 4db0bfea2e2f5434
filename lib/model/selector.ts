/** Label key to value. */
export type Labels = Readonly<Record<string, string>>;

/** Whether every key of the selector is present in the labels with the same value. */
export function selectorMatches(selector: Labels, labels: Labels): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((key) => labels[key] === selector[key]);
}

/** A stable textual form of a selector (`app=shop,tier=web`), keys sorted. */
export function selectorKey(selector: Labels): string {
  return Object.keys(selector).sort().map((key) => `${key}=${selector[key]}`).join(',');
}
