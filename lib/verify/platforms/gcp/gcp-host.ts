import { Host, platformEntry } from '../../estate/host';

/** The platform name of Google Cloud (matrix filters, the key of its entry in a host). */
export const GCP = 'gcp';

/** The named peer kind of a secure tag value given by id (`tagValues/123`), as a `Peer` object spells it. */
export const GCP_SECURE_TAG = 'gcp-secure-tag';

/** What Google Cloud knows of a host: a VM's first network interface, its secure tags, network tags and service accounts. */
export interface GcpVm {
  /** Key of the instance (or instance template, or data source) the host is read from; absent for a hypothetical member. */
  readonly vmKey?: string;
  /** Identity of the VPC network of the VM's first interface (a resource key, or `network:<name>`); undefined when the JSON does not say. */
  readonly network?: string;
  /** Identity of the interface's subnetwork, if known. */
  readonly subnet?: string;
  /** The region the VM runs in (from its zone or subnetwork), if known. */
  readonly region?: string;
  /** Identities of the secure tag values bound to the VM (resource keys or `tagValues/...` ids). */
  readonly tagValues: readonly string[];
  /** The VM's network tags (classic VPC firewall rules' `source_tags` / `target_tags`). */
  readonly networkTags: readonly string[];
  /** The e-mails of the VM's service accounts. */
  readonly serviceAccounts: readonly string[];
  /**
   * Keys of the real VMs a hypothetical member of secure tag values stands for (its placement's
   * members): rules that name addresses match it as they match every one of them. @default none
   */
  readonly members?: readonly string[];
}

/** The Google Cloud entry of a host, if it is a VM (or a member of secure tag values). */
export function gcpOf(host: Host): GcpVm | undefined {
  return platformEntry<GcpVm>(host, GCP);
}
