/** The host firewall a rule set is written for. */
export enum HostFirewallFlavor {
  /** nftables (modern Linux): one `table inet microseg` loaded with `nft -f`. */
  NFTABLES = 'nftables',
  /** iptables (older Linux without nftables): `iptables-restore` and `ip6tables-restore` files. */
  IPTABLES = 'iptables',
  /** Windows Defender Firewall: a PowerShell script using the NetSecurity cmdlets. */
  WINDOWS = 'windows',
}
