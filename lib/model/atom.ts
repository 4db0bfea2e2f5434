import { ModelWorkload } from './guardrail-semantics';

/**
 * One concrete end of a flow side, after membership is resolved:
 * - `members`: the members of a segment that one enforcement enforces (`enforcement` undefined: a
 *   workload bound to a platform whose stack has no enforcement, or a host known only by its
 *   addresses, platform `external`);
 * - `address`: an address range the flow names itself, a literal CIDR or a Terraform expression;
 * - `named`: a peer the platform names itself (an AWS prefix list, an Azure service tag). A new
 *   named-peer kind (an existing AWS security group, an Azure ASG) is one more `peerKind` value.
 *
 * `W` and `E` are how the caller knows a workload and an enforcement: the model never looks inside
 * them beyond {@link ModelWorkload}.
 */
export type PolicyAtom<W extends ModelWorkload = ModelWorkload, E = unknown> =
  | MembersAtom<W, E>
  | AddressAtom
  | NamedPeerAtom;

/** The members of a segment within one enforcement, in the side's member order. */
export interface MembersAtom<W extends ModelWorkload = ModelWorkload, E = unknown> {
  /** The atom's kind. */
  readonly kind: 'members';
  /** The platform of these members (`external` for hosts known only by their addresses). */
  readonly platform: string;
  /** The enforcement that renders their rules; undefined when none does. */
  readonly enforcement: E | undefined;
  /** The members, in the side's order (by construct path). */
  readonly workloads: readonly W[];
}

/** An address range named by the flow itself. */
export interface AddressAtom {
  /** The atom's kind. */
  readonly kind: 'address';
  /** The CIDR (normalized when literal) or the Terraform expression. */
  readonly value: string;
  /** Whether the value is a Terraform expression known only at apply (or not a CIDR at all). */
  readonly expression: boolean;
  /** The address family the flow declared (`Peer.ipv4` or `Peer.ipv6`). */
  readonly family: 'ipv4' | 'ipv6';
  /** How the flow wrote it, for messages (`Peer.ipv4("10.0.0.0/16")`). */
  readonly written: string;
  /** A stable identifier of the peer (`ipv4-10.0.0.0_16`). */
  readonly id: string;
}

/** A peer that only a platform's own vocabulary names. */
export interface NamedPeerAtom {
  /** The atom's kind. */
  readonly kind: 'named';
  /** What the name means: `aws-prefix-list`, `azure-service-tag`, ... (the values of `PeerKind`). */
  readonly peerKind: string;
  /** The name itself: the prefix list id, the service tag. */
  readonly value: string;
  /** How the flow wrote it, for messages (`Peer.awsPrefixList("pl-0123abcd")`). */
  readonly written: string;
  /** A stable identifier of the peer (`aws-prefix-list-pl-0123abcd`). */
  readonly id: string;
  /** How many rules each rule naming it counts as in a quota (a prefix list's max entries), when given. */
  readonly maxEntries?: number;
}
