import { Port } from './port';

/**
 * The options form of the `allowFrom` / `allowTo` / `allowInternally` helpers of segments and
 * workloads (`web.allowFromWith(lb, { ports: [Port.HTTPS], description: 'from the load balancer' })`),
 * for what the variadic forms cannot carry.
 */
export interface AllowOptions {
  /** Protocols and ports allowed; at least one. */
  readonly ports: Port[];

  /**
   * Why the flow exists; written into the descriptions of the rules it renders (see
   * `AllowFlowProps.description`). Descriptions update in place: editing one never replaces a rule.
   * @default - a description derived from the endpoints and ports
   */
  readonly description?: string;
}
