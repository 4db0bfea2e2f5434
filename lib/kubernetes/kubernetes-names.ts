import { digest } from '../private/identity';

/** The label every namespace carries with its own name (Kubernetes 1.21+). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The name of the namespace-wide default-deny NetworkPolicy. */
export const DEFAULT_DENY_POLICY_NAME = 'microseg-default-deny';

/** The name of the namespace-wide NetworkPolicy that lets pods reach the cluster's DNS resolver. */
export const DNS_POLICY_NAME = 'microseg-allow-dns';

/** The NetworkPolicy that keeps the DNS resolver pods answering when their namespace is managed. */
export const DNS_RESOLVER_POLICY_NAME = 'microseg-dns-resolver';

/**
 * A Kubernetes object name (DNS-1123 subdomain, at most `max` characters) derived from an identity:
 * readable, lowercase, and unique through a digest of the identity.
 */
export function kubernetesName(prefix: string, identity: string, max = 63): string {
  const hash = digest(identity);
  const room = max - prefix.length - hash.length - 2;
  const readable = identity.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, Math.max(0, room)).replace(/-+$/g, '');
  return readable ? `${prefix}-${readable}-${hash}` : `${prefix}-${hash}`;
}
