import { Host, platformEntry } from '../../estate/host';

/** The platform name of NSX (matrix filters, the key of its entry in a host). */
export const NSX = 'nsx';

/** An NSX tag on a VM. */
export interface NsxTag {
  /** Tag scope (may be empty). */
  readonly scope: string;
  /** Tag value. */
  readonly tag: string;
}

/** What NSX knows of a host: a VM with its tags, or a hypothetical member of groups. */
export interface NsxVm {
  /** Key of the VM resource; absent for a hypothetical group member. */
  readonly vmKey?: string;
  /** The VM's name, for Name conditions. */
  readonly vmName?: string;
  /** The VM's NSX tags. */
  readonly tags: readonly NsxTag[];
  /** Keys of groups the host is a member of by construction (a hypothetical member). */
  readonly groups: readonly string[];
}

/** The NSX entry of a host, if it is a VM behind the distributed firewall. */
export function nsxOf(host: Host): NsxVm | undefined {
  return platformEntry<NsxVm>(host, NSX);
}
