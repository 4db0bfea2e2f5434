/** An inclusive range of Azure NSG priorities. */
export interface PriorityBand {
  /** First priority of the band. */
  readonly first: number;
  /** Last priority of the band (inclusive). */
  readonly last: number;
}

/**
 * Azure NSG priorities of the guardrail tier. Lower numbers are evaluated first, so guardrail
 * allows (shared services, management access granted by the platform team) come first, then
 * guardrail denies, then every application allow, then the deny-all rules.
 */
export const AZURE_GUARDRAIL_ALLOW: PriorityBand = { first: 100, last: 149 };

/** Azure NSG priorities of guardrail denies (`DenyFlow`). */
export const AZURE_GUARDRAIL_DENY: PriorityBand = { first: 150, last: 199 };

/** The first priority an application allow rule can take: right after the guardrail band. */
export const AZURE_APPLICATION_FIRST = 200;
