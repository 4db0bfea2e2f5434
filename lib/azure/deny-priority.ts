/** Whether a `denyPriority` leaves application rules room below it (200 up) and is an NSG priority (at most 4096). */
export function isValidDenyPriority(priority: number): boolean {
  return Number.isInteger(priority) && priority >= 201 && priority <= 4096;
}
