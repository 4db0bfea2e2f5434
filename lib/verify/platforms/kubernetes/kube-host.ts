import { KubePodFacts } from './kube-facts';
import { Host, platformEntry } from '../../estate/host';

/** The platform name of Kubernetes (matrix filters, the key of its entry in a host). */
export const KUBERNETES = 'kubernetes';

/** The Kubernetes entry of a host, if it stands for pods. */
export function kubeOf(host: Host): KubePodFacts | undefined {
  return platformEntry<KubePodFacts>(host, KUBERNETES);
}
