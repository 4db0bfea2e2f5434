import type { IFlowEndpoint } from '../endpoint';

/**
 * Stands for a flow side that the construct owning the flow could not resolve and already reports
 * (a guardrail without a source, say): the flow is then never rendered and adds no error of its own.
 */
export const UNRESOLVED_ENDPOINT: IFlowEndpoint = Object.freeze({ endpointName: 'unresolved' });
