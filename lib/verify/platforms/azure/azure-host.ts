import { Host, platformEntry } from '../../estate/host';

/** The platform name of Azure (matrix filters, the key of its entry in a host). */
export const AZURE = 'azure';

/** The named peer kind of an Azure service tag (as `Peer.azureServiceTag` spells it). */
export const AZURE_SERVICE_TAG = 'azure-service-tag';

/** The named peer kind of an existing application security group (as `Peer.azureApplicationSecurityGroup` spells it). */
export const AZURE_APPLICATION_SECURITY_GROUP = 'azure-application-security-group';

/** What Azure knows of a host: a NIC, its ASGs and the NSGs at NIC and subnet level. */
export interface AzureInterface {
  /** Key of the NIC; absent for a hypothetical group member. */
  readonly nicKey?: string;
  /** Identities of the application security groups of the NIC. */
  readonly asgs: readonly string[];
  /** Identities of the NSGs associated with the NIC. */
  readonly nicNsgs: readonly string[];
  /** Identity of the NIC's subnet. */
  readonly subnet?: string;
  /** Identities of the NSGs associated with the subnet. */
  readonly subnetNsgs: readonly string[];
}

/** The Azure entry of a host, if it is an Azure NIC. */
export function azureOf(host: Host): AzureInterface | undefined {
  return platformEntry<AzureInterface>(host, AZURE);
}
