// Typed cdktf bindings for the vmware/nsxt Terraform provider (hand-written; no prebuilt @cdktf package exists).
// The helpers shared between the binding files (generator metadata, HCL conversion, common rule/policy
// field mappers) are deliberately not re-exported.

export * from './enums';
export { NsxtProvider, NSXT_PROVIDER_VERSION_CONSTRAINT } from './provider';
export type { NsxtProviderConfig } from './provider';
export * from './policy-vm-tags';
export * from './policy-group';
export * from './policy-service';
export { NsxtPolicyParentSecurityPolicy } from './policy-parent-security-policy';
export type { NsxtPolicyParentSecurityPolicyConfig } from './policy-parent-security-policy';
export { NsxtPolicySecurityPolicyRule } from './policy-security-policy-rule';
export type { NsxtPolicySecurityPolicyRuleConfig } from './policy-security-policy-rule';
export * from './policy-security-policy';
