import { AWS, AWS_SECURITY_GROUP, AwsHost } from './aws-host';
import type { Estate } from '../../estate/estate';
import { asCidr, externalGroupMembers } from '../../estate/external-group-members';
import { Host, unique } from '../../estate/host';

/**
 * The host a security group owned elsewhere stands for: the addresses declared for it (see
 * `describeExternalGroup`), and membership of the group itself, so that the rules referencing it
 * match it and nothing else.
 */
export function externalGroupHost(estate: Estate, groupId: string): Host {
  const ranges = unique((externalGroupMembers(estate.model, groupId)?.addresses ?? []).map(asCidr));
  const aws: AwsHost = { memberOf: [groupId] };
  return { name: groupId, ranges, symbolicAddresses: [], namedPeer: { kind: AWS_SECURITY_GROUP, value: groupId }, platforms: { [AWS]: aws } };
}
