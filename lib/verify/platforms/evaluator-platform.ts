import type { Estate } from '../estate/estate';
import type { Host, NamedPeer } from '../estate/host';
import type { Layer } from '../layers/layer-verdict';
import type { AddressAttribute } from '../model/primary-address';
import type { JsonObject, TerraformResource } from '../model/terraform-model';
import type { Value } from '../model/value';
import type { Cidr } from '../net/cidr';

/** The evaluator settings a layer may need (see `EvaluateOptions`), defaults applied. */
export interface LayerSettings {
  /** Client ephemeral port range that stateless return traffic must reach, when the user gives one (else the declared range or Linux's). */
  readonly ephemeralPorts?: readonly [number, number];
  /** Address spaces Azure's `VirtualNetwork` tag covers besides those in the JSON. */
  readonly vnetAddressSpaces: readonly string[];
}

/** Where a hypothetical member of some of the platform's groups sits: what the platform knows of it, and its ranges. */
export interface Placement {
  /** How to tell this placement from the others in a host name (its subnet), if there are several. */
  readonly label?: string;
  /** The ranges the member lies within (its subnet). */
  readonly ranges: readonly string[];
  /** Addresses the member is known not to have. */
  readonly excludedRanges?: readonly string[];
  /** The platform's entry of the member host (see {@link Host.platforms}). */
  readonly facts: unknown;
}

/** An endpoint written as text that names something only the platform knows (a prefix list id, `tag:Storage`). */
export interface NamedPeerSyntax {
  /** The kind of named peer, as a `Peer` object spells it (`aws-prefix-list`). */
  readonly kind: string;
  /** The named peer the text stands for, or undefined when the text is not of this kind. */
  parse(text: string): NamedPeer | undefined;
  /**
   * The endpoint text of a name a rule of this platform holds (a bare service tag), or undefined when the
   * rule text is not this kind of name.
   */
  endpointOfRuleText(text: string): string | undefined;
  /**
   * The hosts the named peer stands for when the Terraform JSON knows them (members of a group
   * owned elsewhere that a resource of the JSON joins); empty or absent: the peer stays a name.
   * @default none
   */
  knownMembers?(estate: Estate, peer: NamedPeer): Host[];
  /** The host the named peer stands for, when the platform knows more of it than its name. @default a host with the name only */
  hostOf?(estate: Estate, peer: NamedPeer): Host;
}

/**
 * Everything the generic evaluator needs to know about one platform (a cloud or a firewall product
 * with its enforcement layers): its resource types, how its hosts and groups are found in the
 * Terraform JSON, and how it tells hosts apart. The folder of the platform implements it; the
 * registration table lists it once. Only the platform's own files read its entry of
 * {@link Host.platforms}.
 */
export interface EvaluatorPlatform {
  /** The platform's name in matrix filters and reports (`aws`), also its key in {@link Host.platforms}. */
  readonly name: string;
  /** Every resource type the layers and facts read: a change to any other type cannot change reachability. */
  readonly evaluatedTypes: readonly string[];
  /**
   * Of the evaluated types, those whose change touches only the endpoints it references (a rule of
   * one group, a group, an interface, an attachment); a change to another one may touch any endpoint.
   */
  readonly scopedTypes: readonly string[];
  /** Types whose fields may name an address as an expression (rules, groups, address lists). */
  readonly addressRuleTypes: readonly string[];
  /** Types that stand for a group of hosts (a segment's groups). */
  readonly groupTypes: readonly string[];
  /** Types that are an endpoint on their own (an interface, a VM, a named peer), groups aside. */
  readonly endpointTypes: readonly string[];
  /**
   * The attributes that name a resource's own primary address, by `type.attribute`, and where its
   * configuration sets them (see `model/primary-address.ts`).
   */
  readonly primaryAddresses: Readonly<Record<string, (body: JsonObject) => AddressAttribute>>;
  /** Endpoint texts and `Peer` kinds that name something only this platform knows. @default none */
  readonly namedPeers?: readonly NamedPeerSyntax[];
  /** What Terraform and the platform do when the platform's resources change (read by `diff/change-impact.ts`). @default none */
  readonly changeRules?: PlatformChangeRules;
  /**
   * Resource types the platform's layers look up by the value of one field (a security group rule
   * by its group), and that field: a lazily loaded file indexes it as the text passes, so that a
   * question parses only the resources it asks for. @default none
   */
  readonly fieldsFoundBy?: Readonly<Record<string, string>>;
  /** Builds the platform's enforcement layers for an estate, in evaluation order. */
  layers(estate: Estate, settings: LayerSettings): Layer[];
  /** The host an endpoint resource of this platform stands for, with extra known addresses; undefined for other types. */
  hostOf(estate: Estate, resource: TerraformResource, name: string, extraAddresses: readonly Value[]): Host | undefined;
  /** Where a hypothetical member carrying all of `groupKeys` (of this platform's group types) sits; one per distinct placement. */
  placements(estate: Estate, groupKeys: readonly string[]): Placement[];
  /** The one host of this platform that has exactly this address, when a literal address names it. @default none */
  hostWithAddress?(estate: Estate, text: string, cidr: Cidr): Host | undefined;
  /** The platform's entry for a literal address endpoint (the subnet it lies in), if any. @default none */
  addressFacts?(estate: Estate, cidr: Cidr): unknown;
  /**
   * Whether the platform's rules can name the host by something other than its address (a group, a
   * tag it carries): only then must a peer on another platform see a segment by its members' addresses.
   */
  namesByIdentity(host: Host): boolean;
  /** Whether the host carries (is a member of) the group with this key, one of the platform's groups. */
  carriesGroup(estate: Estate, host: Host, groupKey: string): boolean;
  /** What of the platform's entry decides verdicts (null when the host is not on the platform): equal signatures, equal verdicts. */
  signature(host: Host): unknown;
  /** Keys of the resources the host's entry names (its groups, interface, subnet), which a change to them touches. */
  keysOf(host: Host): string[];
  /** The texts of the addresses and names (CIDRs, prefix lists, service tags) its rules give as peers. */
  ruleAddressTexts(estate: Estate): string[];
  /** Whether a changed resource names a group on each side (a rule between two groups): a pair it touches needs both ends to carry one. */
  namesGroupsOnBothSides(estate: Estate, resource: TerraformResource, referencedKeys: (body: unknown) => string[]): boolean;
}

/** Turns a configuration value of a resource's stack into comparable text (references resolved to resource keys). */
export type ValueText = (raw: unknown) => string;

/** A value the platform accepts only once: resources with equal kind and key collide. */
export interface UniqueKey {
  /** What kind of uniqueness (`aws-permission`, `nacl-rule-number`, `nsg-priority`...). */
  readonly kind: string;
  /** The key itself. */
  readonly key: string;
}

/** The provider's replace-vs-update rules and the platform's uniqueness rules for the platform's resource types. */
export interface PlatformChangeRules {
  /** Per resource type, the arguments whose change forces Terraform to replace the resource (`'all'`: every one). */
  readonly forceNew: Readonly<Record<string, readonly string[] | 'all'>>;
  /** Rule types: their meaning (arguments but names, numbers and descriptions) is compared when a rule moves between stacks' states. */
  readonly ruleTypes: readonly string[];
  /** Replacement reasons beyond changed arguments (a security group rule whose peer changes kind). @default none */
  extraReplacements?(type: string, oldBody: JsonObject, newBody: JsonObject): string[];
  /** The values of a resource that the platform accepts only once (empty for types it does not own). */
  uniqueKeys(resource: TerraformResource, text: ValueText): UniqueKey[];
}
