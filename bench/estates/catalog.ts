/* eslint-disable @typescript-eslint/no-require-imports -- an estate's module (the library, its providers) loads only when that estate is built */
import type { App } from 'cdktf';
import { AWS_NETWORK_ACLS_SIZE, AWS_SECURITY_GROUPS_SIZE, AZURE_SIZE, EstateSize, MIXED_SIZE, NSX_SIZE, scaled } from './size';

// Loading the catalog loads no estate: the floor's process (which builds from its plan) and the
// bench's own process load neither the library nor the estates' provider classes, and a library
// process loads those of its estate only.
const awsSecurityGroups = () => require('./aws-security-groups') as typeof import('./aws-security-groups');

/** One estate the bench can synthesize. */
export interface Estate {
  /** Name used on the command line (`--estate aws-sg`). */
  readonly name: string;
  /** What it contains, for the table's legend. */
  readonly description: string;
  readonly size: EstateSize;
  /** Takes minutes and several GB: left out by `--without-10x`, and run with its own pair count (`--pairs-10x`). */
  readonly heavy?: boolean;
  /**
   * For an estate that scales another: that estate's name. Its time is compared with that
   * estate's, synthesized in the same minutes (the bench runs it once in each of this estate's pairs).
   */
  readonly scales?: string;
  /** Builds it into `app` (one stack, `estate`). */
  build(app: App, size?: EstateSize): void;
}

/** Every estate of the bench, in the table's order. */
export const ESTATES: readonly Estate[] = [
  {
    name: 'aws-sg',
    description: 'AWS security groups, EC2 instances',
    size: AWS_SECURITY_GROUPS_SIZE,
    build: (app, size) => awsSecurityGroups().buildAwsSecurityGroupsEstate(app, size),
  },
  {
    name: 'aws-nacl',
    description: 'AWS security groups and network ACLs, a subnet per segment',
    size: AWS_NETWORK_ACLS_SIZE,
    build: (app, size) => (require('./aws-network-acls') as typeof import('./aws-network-acls')).buildAwsNetworkAclsEstate(app, size),
  },
  {
    name: 'azure',
    description: 'Azure ASGs and subnet NSGs, NICs',
    size: AZURE_SIZE,
    build: (app, size) => (require('./azure') as typeof import('./azure')).buildAzureEstate(app, size),
  },
  {
    name: 'nsx',
    description: 'NSX distributed firewall, vSphere VMs',
    size: NSX_SIZE,
    build: (app, size) => (require('./nsx') as typeof import('./nsx')).buildNsxEstate(app, size),
  },
  {
    name: 'mixed',
    description: 'AWS, Azure and NSX in one stack, cross-platform flows, DenyFlow and GuardrailAllow',
    size: MIXED_SIZE,
    build: (app, size) => (require('./mixed') as typeof import('./mixed')).buildMixedEstate(app, size),
  },
  {
    name: 'aws-sg-10x',
    description: 'the aws-sg estate at ten times the size',
    size: scaled(AWS_SECURITY_GROUPS_SIZE, 10),
    build: (app, size) => awsSecurityGroups().buildAwsSecurityGroupsEstate(app, size ?? scaled(AWS_SECURITY_GROUPS_SIZE, 10)),
    heavy: true,
    scales: 'aws-sg',
  },
];

/** The estate called `name`; throws listing the names when there is none. */
export function estateNamed(name: string): Estate {
  const estate = ESTATES.find((e) => e.name === name);
  if (!estate) throw new Error(`no estate "${name}"; estates: ${ESTATES.map((e) => e.name).join(', ')}`);
  return estate;
}
