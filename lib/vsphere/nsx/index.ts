// Typed cdktf bindings for the vmware/nsxt Terraform provider (hand-written; no prebuilt @cdktf package exists).

export * from './enums';
export { NsxtProvider, NsxtProviderConfig, NSXT_PROVIDER_VERSION_CONSTRAINT } from './provider';
export * from './policy-vm-tags';
export * from './policy-group';
export * from './policy-service';
export {
  NsxtPolicyParentSecurityPolicy,
  NsxtPolicyParentSecurityPolicyConfig,
} from './policy-parent-security-policy';
export {
  NsxtPolicySecurityPolicyRule,
  NsxtPolicySecurityPolicyRuleConfig,
} from './policy-security-policy-rule';
export * from './policy-security-policy';
