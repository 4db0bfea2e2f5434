/**
 * Something a flow can start or end at: a {@link Segment}, a {@link Workload} or a {@link Peer}.
 */
export interface IFlowEndpoint {
  /** A short human-readable name of the endpoint, used in errors and reports. */
  readonly endpointName: string;
}
