import { Host, platformEntry } from '../../estate/host';

/** The platform name of AWS (matrix filters, the key of its entry in a host). */
export const AWS = 'aws';

/** An AWS interface and the security groups on it. */
export interface AwsInterface {
  /** Key of the instance or network interface; absent for a hypothetical group member. */
  readonly interfaceKey?: string;
  /** Identities of the security groups on the interface. */
  readonly securityGroups: readonly string[];
  /** False when the JSON does not say which security groups the interface has. */
  readonly securityGroupsKnown: boolean;
  /** A group the platform attaches that the JSON never shows (the EKS cluster security group), by name. */
  readonly platformGroup?: string;
}

/** What AWS knows of a host: its interface (security groups) and its subnet (network ACLs). */
export interface AwsHost {
  /** The interface, when the host is an AWS interface (or a hypothetical member of security groups). */
  readonly interface?: AwsInterface;
  /** Identity of the AWS subnet the host is in, for network ACLs. */
  readonly subnet?: string;
  /**
   * Security groups owned outside the JSON (`sg-...`) the host is a member of while its own side is
   * not evaluated here: a rule that references such a group matches the host.
   */
  readonly memberOf?: readonly string[];
}

/** The AWS entry of a host, if it has one. */
export function awsOf(host: Host): AwsHost | undefined {
  return platformEntry<AwsHost>(host, AWS);
}

/** The named peer kind of an AWS managed prefix list (as `Peer.awsPrefixList` spells it). */
export const AWS_PREFIX_LIST = 'aws-prefix-list';

/** The named peer kind of a security group owned outside the JSON (as `Peer.awsSecurityGroup` spells it). */
export const AWS_SECURITY_GROUP = 'aws-security-group';
