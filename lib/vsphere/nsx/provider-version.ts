/**
 * Version constraint written to `terraform.required_providers.nsxt.version`.
 *
 * 3.8 is the first minor where every resource bound here is out of Beta with the arguments used:
 * `nsxt_policy_parent_security_policy` and `nsxt_policy_security_policy_rule` appeared (Beta) in 3.5.0,
 * were promoted in 3.6.2, and `nsx_id` on the separate rule became configurable in 3.7.0.
 */
export const NSXT_PROVIDER_VERSION_CONSTRAINT = '~> 3.8';
