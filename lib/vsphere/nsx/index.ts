// Typed cdktf bindings for the vmware/nsxt Terraform provider (hand-written; no prebuilt @cdktf package
// exists), published as the `nsxt` submodule: `import { nsxt } from 'cdktf-microseg'`. jsii assigns a
// type to the submodule only through `export *`, so every file listed here exports public types only;
// the helpers and base classes the bindings share (terraform-mapping.ts, policy-object.ts) are not listed.

export * from './enums';
export * from './provider-version';
export * from './provider';
export * from './policy-vm-tags';
export * from './policy-group';
export * from './policy-service';
export * from './policy-parent-security-policy';
export * from './policy-security-policy-rule';
