import { Token } from 'cdktf';
import { IFlowEndpoint } from './endpoint';
import { checkCidr } from './model/cidr';

/** What kind of endpoint outside the model a {@link Peer} is. */
export enum PeerKind {
  /** An IPv4 CIDR. */
  IPV4 = 'ipv4',
  /** An IPv6 CIDR. */
  IPV6 = 'ipv6',
  /** An AWS managed prefix list (`pl-...`). */
  AWS_PREFIX_LIST = 'aws-prefix-list',
  /** An Azure service tag (`Storage`, `AzureLoadBalancer`, ...). */
  AZURE_SERVICE_TAG = 'azure-service-tag',
  /** An existing Azure application security group, by id. */
  AZURE_APPLICATION_SECURITY_GROUP = 'azure-application-security-group',
  /** An existing AWS security group owned outside this program (`sg-...`). */
  AWS_SECURITY_GROUP = 'aws-security-group',
}

/**
 * An endpoint outside the model: an address range, an AWS prefix list or an Azure service tag.
 *
 * Invalid values do not throw here: the construct that uses the peer reports them, with its path,
 * when the app is synthesized, together with every other problem.
 */
export class Peer implements IFlowEndpoint {
  /** An IPv4 CIDR such as `10.0.0.0/16` or `203.0.113.7/32`. Host bits must be zero. */
  public static ipv4(cidr: string): Peer {
    return new Peer(PeerKind.IPV4, cidr, `Peer.ipv4("${cidr}")`);
  }

  /** An IPv6 CIDR such as `2001:db8::/32`. Host bits must be zero. */
  public static ipv6(cidr: string): Peer {
    return new Peer(PeerKind.IPV6, cidr, `Peer.ipv6("${cidr}")`);
  }

  /** Every IPv4 address (`0.0.0.0/0`). */
  public static anyIpv4(): Peer {
    return new Peer(PeerKind.IPV4, '0.0.0.0/0', 'Peer.anyIpv4()');
  }

  /** Every IPv6 address (`::/0`). */
  public static anyIpv6(): Peer {
    return new Peer(PeerKind.IPV6, '::/0', 'Peer.anyIpv6()');
  }

  /**
   * An AWS managed prefix list by id (`pl-0123abcd`). Only AWS renders it.
   * @param prefixListId the list's id
   * @param maxEntries the list's `max_entries`: AWS counts every security group rule that names the
   * list as that many rules against the group's quota, and so does the synth's quota check
   * @default - each rule naming the list counted as one rule, which understates a longer list
   */
  public static awsPrefixList(prefixListId: string, maxEntries?: number): Peer {
    const written = maxEntries === undefined || maxEntries === null ? '' : `, ${maxEntries}`;
    return new Peer(PeerKind.AWS_PREFIX_LIST, prefixListId, `Peer.awsPrefixList("${prefixListId}"${written})`, maxEntries ?? undefined);
  }

  /**
   * An existing AWS security group owned elsewhere (the platform team's admin group, a group another
   * tool manages), by id (`sg-0123abcd`). Rules reference it (`referenced_security_group_id`), so
   * they follow its membership without addresses. Only AWS security groups render it, in the same
   * VPC or a peered VPC of the same region (a peering across regions cannot reference groups; use
   * `Peer.ipv4()` with the peer VPC's CIDRs there); network ACLs, Azure and NSX cannot.
   */
  public static awsSecurityGroup(securityGroupId: string): Peer {
    return new Peer(PeerKind.AWS_SECURITY_GROUP, securityGroupId, `Peer.awsSecurityGroup("${securityGroupId}")`);
  }

  /** An Azure service tag (`Storage`, `Sql.WestEurope`, `AzureLoadBalancer`). Only Azure renders it. */
  public static azureServiceTag(tag: string): Peer {
    return new Peer(PeerKind.AZURE_SERVICE_TAG, tag, `Peer.azureServiceTag("${tag}")`);
  }

  /**
   * An existing Azure application security group by resource id
   * (`/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Network/applicationSecurityGroups/<name>`,
   * or a reference such as `asg.id`), one that another team or tool owns. Rules name it in
   * `source_application_security_group_ids` / `destination_application_security_group_ids`. Azure
   * requires every ASG of a rule to be in the VNet of the NICs of the rule's NSG: use it only in
   * flows with segments of the same VNet. Only Azure renders it.
   */
  public static azureApplicationSecurityGroup(applicationSecurityGroupId: string): Peer {
    return new Peer(PeerKind.AZURE_APPLICATION_SECURITY_GROUP, applicationSecurityGroupId, `Peer.azureApplicationSecurityGroup("${applicationSecurityGroupId}")`);
  }

  /** The kind of peer. */
  public readonly kind: PeerKind;
  /** The CIDR, prefix list id or service tag, normalized when valid. */
  public readonly value: string;
  /** How the peer was written, for error messages (`Peer.ipv4("10.0.0.5/16")`). */
  public readonly expression: string;
  /** A stable identifier of the peer, used in construct ids (`ipv4-10.0.0.0_16`). */
  public readonly uniqueId: string;
  /**
   * How many rules each rule naming the peer counts as in a security group's quota (a prefix list's
   * `max_entries`), when given.
   * @default - one
   */
  public readonly maxEntries?: number;
  /** What is wrong with the CIDR as written, checked once (a peer is immutable). */
  private readonly cidrProblem?: string;

  private constructor(kind: PeerKind, value: string, expression: string, maxEntries?: number) {
    this.kind = kind;
    this.maxEntries = maxEntries;
    this.expression = expression;
    const checked = (kind === PeerKind.IPV4 || kind === PeerKind.IPV6) && !Token.isUnresolved(value) ? checkCidr(value, kind) : {};
    this.value = checked.cidr ?? value;
    this.cidrProblem = checked.problem;
    this.uniqueId = `${kind}-${this.value}`.replace(/[^A-Za-z0-9.:-]/g, '_');
  }

  /** The peer as written in reports. */
  public get endpointName(): string {
    return this.expression;
  }

  /** Problems with this peer's value; empty when it is valid. */
  public validate(): string[] {
    if (Token.isUnresolved(this.value)) return [];
    if (this.kind === PeerKind.IPV4 || this.kind === PeerKind.IPV6) {
      return this.cidrProblem ? [`${this.expression} ${this.cidrProblem.replace(/^"[^"]*" /, '')}`] : [];
    }
    if (this.kind === PeerKind.AWS_PREFIX_LIST && !/^pl-[0-9a-f]{8,17}$/.test(this.value)) {
      return [`${this.expression} is not a prefix list id. Prefix list ids look like "pl-0123456789abcdef0".`];
    }
    if (this.maxEntries !== undefined && !(Number.isInteger(this.maxEntries) && this.maxEntries >= 1 && this.maxEntries <= 1000)) {
      return [`${this.expression}: maxEntries ${this.maxEntries} is not a whole number from 1 to 1000. Give the list's max_entries.`];
    }
    if (this.kind === PeerKind.AWS_SECURITY_GROUP && !/^sg-[0-9a-f]{8,17}$/.test(this.value)) {
      return [`${this.expression} is not a security group id. Security group ids look like "sg-0123456789abcdef0".`];
    }
    if (this.kind === PeerKind.AZURE_SERVICE_TAG && !/^[A-Za-z][A-Za-z0-9.]*$/.test(this.value)) {
      return [`${this.expression} is not a service tag. Service tags look like "Storage" or "Sql.WestEurope".`];
    }
    if (this.kind === PeerKind.AZURE_APPLICATION_SECURITY_GROUP && !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/applicationSecurityGroups\/[^/]+$/i.test(this.value)) {
      return [`${this.expression} is not an application security group id. Ids look like "/subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Network/applicationSecurityGroups/<name>" (or pass a reference such as asg.id).`];
    }
    return [];
  }

  /** Whether the peer is a CIDR (IPv4 or IPv6). */
  public get isCidr(): boolean {
    return this.kind === PeerKind.IPV4 || this.kind === PeerKind.IPV6;
  }

  /** The textual form: the CIDR, prefix list id or service tag. */
  public toString(): string {
    return this.value;
  }
}
