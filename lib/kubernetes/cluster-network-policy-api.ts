/** The API version of ClusterNetworkPolicy (`policy.networking.k8s.io`) the cluster serves. */
export enum ClusterNetworkPolicyApiVersion {
  /** `policy.networking.k8s.io/v1alpha2`, the version implementations serve today. */
  V1ALPHA2 = 'policy.networking.k8s.io/v1alpha2',
  /** `policy.networking.k8s.io/v1beta1`. */
  V1BETA1 = 'policy.networking.k8s.io/v1beta1',
}
