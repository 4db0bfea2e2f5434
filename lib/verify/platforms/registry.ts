import { AWS_PLATFORM } from './aws/aws-platform';
import { AZURE_PLATFORM } from './azure/azure-platform';
import { EvaluatorPlatform, NamedPeerSyntax } from './evaluator-platform';
import { GCP_PLATFORM } from './gcp/gcp-platform';
import { HOST_PLATFORM } from './host/host-platform';
import { KUBERNETES_PLATFORM } from './kubernetes/kubernetes-platform';
import { NSX_PLATFORM } from './nsx/nsx-platform';

/** The platforms the evaluator knows, one line each, in the order their layers evaluate a path. */
export const EVALUATOR_PLATFORMS: readonly EvaluatorPlatform[] = [
  AWS_PLATFORM,
  AZURE_PLATFORM,
  NSX_PLATFORM,
  GCP_PLATFORM,
  KUBERNETES_PLATFORM,
  HOST_PLATFORM,
];

/** Lookups over {@link EVALUATOR_PLATFORMS}, built once. */
class PlatformTable {
  /** Every platform, in order. */
  public readonly all: readonly EvaluatorPlatform[];
  /** Resource types any platform reads. */
  public readonly evaluatedTypes: ReadonlySet<string>;
  /** Resource types whose change touches only the endpoints they reference. */
  public readonly scopedTypes: ReadonlySet<string>;
  /** Resource types whose fields may name an address as an expression. */
  public readonly addressRuleTypes: ReadonlySet<string>;
  /** Resource types that stand for a group of hosts. */
  public readonly groupTypes: ReadonlySet<string>;
  /** Named peer syntaxes of every platform, in order. */
  public readonly namedPeers: readonly NamedPeerSyntax[];
  /** The fields any platform looks resources up by (see {@link EvaluatorPlatform.fieldsFoundBy}), sorted. */
  public readonly fieldsFoundBy: readonly string[];
  private readonly byEvaluatedType = new Map<string, EvaluatorPlatform>();
  private readonly byGroupType = new Map<string, EvaluatorPlatform>();
  private readonly byEndpointType = new Map<string, EvaluatorPlatform>();

  constructor(platforms: readonly EvaluatorPlatform[]) {
    this.all = platforms;
    const types = (pick: (platform: EvaluatorPlatform) => readonly string[]) => new Set(platforms.flatMap(pick));
    this.evaluatedTypes = types((platform) => platform.evaluatedTypes);
    this.scopedTypes = types((platform) => platform.scopedTypes);
    this.addressRuleTypes = types((platform) => platform.addressRuleTypes);
    this.groupTypes = types((platform) => platform.groupTypes);
    this.namedPeers = platforms.flatMap((platform) => platform.namedPeers ?? []);
    this.fieldsFoundBy = [...new Set(platforms.flatMap((platform) => Object.values(platform.fieldsFoundBy ?? {})))].sort();
    for (const platform of platforms) {
      platform.evaluatedTypes.forEach((type) => this.byEvaluatedType.set(type, platform));
      platform.groupTypes.forEach((type) => this.byGroupType.set(type, platform));
      platform.endpointTypes.forEach((type) => this.byEndpointType.set(type, platform));
    }
  }

  /** The platform that reads a resource type, if any. */
  public ofEvaluatedType(type: string): EvaluatorPlatform | undefined {
    return this.byEvaluatedType.get(type);
  }

  /** The platform whose group type this is, if any. */
  public ofGroupType(type: string | undefined): EvaluatorPlatform | undefined {
    return type === undefined ? undefined : this.byGroupType.get(type);
  }

  /** The platform whose endpoint type this is (an interface, a VM, a named peer), if any. */
  public ofEndpointType(type: string): EvaluatorPlatform | undefined {
    return this.byEndpointType.get(type);
  }
}

/** The registered platforms and their lookups. */
export const PLATFORMS = new PlatformTable(EVALUATOR_PLATFORMS);
