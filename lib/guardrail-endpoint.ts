import { Construct } from 'constructs';
import { IFlowEndpoint } from './endpoint';
import { selectorKey } from './model/selector';
import { Peer } from './peer';
import { Segment } from './segment';
import { Workload } from './workload';

/** One side of a guardrail after resolution: an endpoint, or anywhere. */
export interface GuardrailSide {
  /** The endpoint (a selector becomes a segment owned by the guardrail); undefined means anywhere. */
  readonly endpoint?: IFlowEndpoint;
  /** Problems of the side's input. */
  readonly problems: string[];
}

/**
 * Resolves one side of a guardrail: an endpoint, a label selector (a hidden segment named `id`
 * created under `owner`), or, when neither is given, anywhere.
 */
export function resolveGuardrailSide(
  owner: Construct, id: string, endpoint: IFlowEndpoint | undefined, selector: { [key: string]: string } | undefined, propName: string,
): GuardrailSide {
  // languages other than TypeScript pass null for an omitted prop: the same as omitting it
  endpoint = endpoint ?? undefined;
  selector = selector ?? undefined;
  const problems: string[] = [];
  if (endpoint !== undefined && selector !== undefined) {
    problems.push(`has both ${propName} and ${propName}Selector. Give one of them.`);
  }
  if (selector !== undefined) {
    const keys = Object.keys(selector);
    if (keys.length === 0) {
      problems.push(`has an empty ${propName}Selector {}, which selects no workload. Give at least one label, for example { env: "prod" }, or omit it to mean anywhere.`);
      return { problems };
    }
    const segment = new Segment(owner, id, { selector, description: `microseg guardrail selector ${selectorKey(selector)} of ${owner.node.path}` });
    return { endpoint: segment, problems };
  }
  if (endpoint !== undefined && !(Segment.isSegment(endpoint) || Workload.isWorkload(endpoint) || endpoint instanceof Peer)) {
    problems.push(`has a ${propName} that is not a Segment, a Workload or a Peer.`);
  }
  if (endpoint instanceof Peer) problems.push(...endpoint.validate());
  return { endpoint, problems };
}

/** The segment an endpoint stands for (a workload stands for its one-member segment). */
export function segmentOfEndpoint(endpoint: IFlowEndpoint | undefined): Segment | undefined {
  if (endpoint === undefined) return undefined;
  if (Segment.isSegment(endpoint)) return endpoint;
  if (Workload.isWorkload(endpoint)) return endpoint._asSegment();
  return undefined;
}

/** A short name of a guardrail side for descriptions. */
export function sideName(endpoint: IFlowEndpoint | undefined): string {
  if (endpoint === undefined) return 'anywhere';
  if (Segment.isSegment(endpoint) || Workload.isWorkload(endpoint)) {
    const selector = Segment.isSegment(endpoint) ? endpoint.selector : {};
    return Object.keys(selector).length > 0 && endpoint.node.id.match(/^(From|To)$/) ? selectorKey(selector) : endpoint.node.id;
  }
  return endpoint.endpointName;
}
