/** The enforcement platform a workload's binding belongs to. */
export enum Platform {
  /** AWS: security groups (and network ACLs at the subnet tier). */
  AWS = 'aws',
  /** Azure: application and network security groups. */
  AZURE = 'azure',
  /** vSphere virtual machines protected by the NSX distributed firewall. */
  NSX = 'nsx',
  /** Pods of a Kubernetes cluster: NetworkPolicy and ClusterNetworkPolicy. */
  KUBERNETES = 'kubernetes',
  /** Google Cloud VM instances: network firewall policies with secure tags. */
  GCP = 'gcp',
  /** A host outside every managed platform, known only by its addresses. */
  EXTERNAL = 'external',
}
