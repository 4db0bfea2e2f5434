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

/** The bench estate: 200 segments, 2,000 EC2 workloads and 5,000 flows. */
export const AWS_SECURITY_GROUPS_SIZE: EstateSize = { segments: 200, workloads: 2000, flows: 5000 };

/**
 * 100 segments (each in its own subnet), 1,000 instances, 500 flows: the flows stay within each app
 * of ten segments so that no network ACL needs more than its quota of rules (20 per direction).
 */
export const AWS_NETWORK_ACLS_SIZE: EstateSize = { segments: 100, workloads: 1000, flows: 500 };

/**
 * 80 segments, 1,000 NICs, 400 flows: within Azure's quotas of 1,000 rules and 100 application
 * security groups per NSG.
 */
export const AZURE_SIZE: EstateSize = { segments: 80, workloads: 1000, flows: 400 };

/** 200 segments, 2,000 VMs, 900 flows: within NSX's 1,000 rules per policy. */
export const NSX_SIZE: EstateSize = { segments: 200, workloads: 2000, flows: 900 };

/** 90 segments and 900 workloads, a third on each platform, and 600 flows. */
export const MIXED_SIZE: EstateSize = { segments: 90, workloads: 900, flows: 600 };
