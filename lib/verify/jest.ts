import { Construct, IConstruct } from 'constructs';
import { EndpointInput, PeerLike, isPeerLike } from './estate/endpoints';
import { evaluate } from './evaluate';
import { formatVerdict } from './format-verdict';
import { loadTerraform, loadTerraformStacks } from './model/load-terraform';
import { TerraformModel } from './model/terraform-model';
import { FlowPort, FlowProtocol, formatFlowPort } from './net/port-query';
import { synthesizeApp } from './synthesize-app';
import { Verdict } from './verdict';

/** A port as the library's `Port` describes it (duck-typed): ICMP puts the type in `fromPort` (-1 = any). */
export interface PortLike {
  /** `tcp`, `udp`, `icmp`, `icmpv6` or `all`. */
  readonly protocol: string;
  /** First port, or the ICMP type. */
  readonly fromPort: number;
  /** Last port, or the ICMP code. */
  readonly toPort: number;
}

/** What the matchers evaluate: a stack (its whole app is synthesized), a `cdktf.out` path, parsed stack JSON, or a loaded model. */
export type FlowSubject = IConstruct | string | TerraformModel | Readonly<Record<string, unknown>>;

/** A flow end for the matchers: a construct (Segment, Workload, a resource), a `Peer`, or a string endpoint. */
export type FlowEndpointArg = IConstruct | PeerLike | string;

/** A port for the matchers: a `Port`, a {@link FlowPort}, or text such as `tcp/443`. */
export type FlowPortArg = PortLike | FlowPort | string;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R, T = {}> {
      /** Passes when every layer of the synthesized Terraform allows the flow (all of the port range, for every member). */
      toAllowFlow(from: FlowEndpointArg, to: FlowEndpointArg, port: FlowPortArg): R;
      /** Passes when no layer path lets any of the flow's traffic through. */
      toDenyFlow(from: FlowEndpointArg, to: FlowEndpointArg, port: FlowPortArg): R;
    }
  }
}

/** The model a matcher subject stands for. */
export function modelOfSubject(subject: FlowSubject): TerraformModel {
  if (typeof subject === 'string') return loadTerraform(subject);
  if (Construct.isConstruct(subject)) return synthesizeApp(subject);
  if (isModel(subject)) return subject;
  const record = subject as Record<string, unknown>;
  const singleStack = ['resource', 'terraform', '//', 'data', 'provider'].some((key) => key in record);
  return loadTerraformStacks(singleStack ? { stack: record } : record as Record<string, object>);
}

function isModel(subject: object): subject is TerraformModel {
  const candidate = subject as TerraformModel;
  return Array.isArray(candidate.resources) && typeof candidate.resource === 'function';
}

/** A matcher endpoint argument as an evaluator endpoint: constructs by their construct path. */
export function endpointOfArg(arg: FlowEndpointArg): EndpointInput {
  if (typeof arg === 'string') return arg;
  if (Construct.isConstruct(arg)) return arg.node.path;
  if (isPeerLike(arg)) return arg;
  throw new Error(`not a flow endpoint: ${String(arg)}; pass a construct, a Peer or a string`);
}

/** A matcher port argument as an evaluator port query; a range checks every port in it. */
export function portOfArg(arg: FlowPortArg): FlowPort | string {
  if (typeof arg === 'string') return arg;
  if ('fromPort' in arg) {
    const protocol = arg.protocol.toLowerCase() as FlowProtocol;
    if (protocol === 'all') return { protocol };
    if (protocol === 'icmp' || protocol === 'icmpv6') {
      if (arg.fromPort < 0) return { protocol };
      return arg.toPort < 0 ? { protocol, port: arg.fromPort } : { protocol, port: arg.fromPort, code: arg.toPort };
    }
    return { protocol, port: arg.fromPort, toPort: arg.toPort };
  }
  return arg;
}

function verdictFor(subject: FlowSubject, from: FlowEndpointArg, to: FlowEndpointArg, port: FlowPortArg): Verdict {
  return evaluate(modelOfSubject(subject), { from: endpointOfArg(from), to: endpointOfArg(to), port: portOfArg(port) });
}

function describePort(port: FlowPortArg): string {
  const query = portOfArg(port);
  return typeof query === 'string' ? query : formatFlowPort(query);
}

/** `expect(stack).toAllowFlow(from, to, port)`: all of the traffic passes every layer. */
export function toAllowFlow(subject: FlowSubject, from: FlowEndpointArg, to: FlowEndpointArg, port: FlowPortArg): jest.CustomMatcherResult {
  const verdict = verdictFor(subject, from, to, port);
  const flow = `${verdict.from} -> ${verdict.to} on ${describePort(port)}`;
  return {
    pass: verdict.allowed,
    message: () => (verdict.allowed
      ? `expected ${flow} not to be allowed, but it is:\n${formatVerdict(verdict)}`
      : `expected ${flow} to be allowed, but it is not:\n${formatVerdict(verdict)}`),
  };
}

/** `expect(stack).toDenyFlow(from, to, port)`: none of the traffic passes, and nothing is left unknown. */
export function toDenyFlow(subject: FlowSubject, from: FlowEndpointArg, to: FlowEndpointArg, port: FlowPortArg): jest.CustomMatcherResult {
  const verdict = verdictFor(subject, from, to, port);
  const flow = `${verdict.from} -> ${verdict.to} on ${describePort(port)}`;
  return {
    pass: verdict.denied,
    message: () => (verdict.denied
      ? `expected ${flow} not to be denied, but it is:\n${formatVerdict(verdict)}`
      : `expected ${flow} to be denied, but it is not:\n${formatVerdict(verdict)}`),
  };
}

if (typeof expect !== 'undefined' && typeof expect.extend === 'function') {
  expect.extend({ toAllowFlow, toDenyFlow });
}
