import { commonFamilies, familyPaths, familyView } from './estate/address-family-paths';
import { Endpoint, EndpointInput, resolveEndpoint } from './estate/endpoints';
import { Estate, estateOf } from './estate/estate';
import { Host } from './estate/host';
import { Layer } from './layers/layer-verdict';
import { TerraformModel } from './model/terraform-model';
import { FlowPort, checkFlowPort, flowPortTraffic, formatFlowPort, parseFlowPort } from './net/port-query';
import { NO_TRAFFIC, Traffic, coversTraffic, intersectTraffic, isNoTraffic, unionTraffic } from './net/traffic';
import { PLATFORMS } from './platforms/registry';
import { crossPlatformEnds } from './segment-members';
import { PathVerdict, Verdict } from './verdict';

/** Evaluator settings. */
export interface EvaluateOptions {
  /**
   * Client ephemeral port range that stateless return traffic must reach.
   * @default - the range the network ACLs' AwsEnforcement declares (`ephemeralPorts`, when not the default 1024-65535), else [32768, 60999] (Linux)
   */
  readonly ephemeralPorts?: readonly [number, number];
  /** Address spaces Azure's `VirtualNetwork` tag covers besides the `azurerm_virtual_network`s in the JSON (peered VNets, on-premises). */
  readonly vnetAddressSpaces?: readonly string[];
}

/** A flow to evaluate: two ends and a port (`{ protocol: 'tcp', port: 5432 }` or `"tcp/5432"`). */
export interface FlowQuery {
  /** Where the flow starts. */
  readonly from: EndpointInput;
  /** Where it ends. */
  readonly to: EndpointInput;
  /** The protocol and port. */
  readonly port: FlowPort | string;
}

/**
 * Decides whether a flow is allowed by every enforcement layer in the synthesized Terraform, with
 * each platform's semantics, and explains the verdict point by point.
 */
export function evaluate(model: TerraformModel, query: FlowQuery, options: EvaluateOptions = {}): Verdict {
  const estate = estateOf(model);
  const port = typeof query.port === 'string' ? parseFlowPort(query.port) : checkFlowPort(query.port);
  const [from, to] = crossPlatformEnds(estate, resolveEndpoint(estate, query.from), resolveEndpoint(estate, query.to));
  const paths = evaluateEndpoints(layersOf(estate, options), from, to, flowPortTraffic(port));
  return verdictOf(from, to, formatFlowPort(port), paths);
}

/** The verdict on a flow from the verdicts of its host pairs: allowed when all pairs are, denied when none lets anything through. */
export function verdictOf(from: Endpoint, to: Endpoint, port: string, paths: readonly PathVerdict[]): Verdict {
  const deciding = paths.find((path) => !path.allowed) ?? paths[0];
  return {
    from: from.name,
    to: to.name,
    port,
    allowed: paths.every((path) => path.allowed),
    denied: paths.every((path) => path.status === 'denied' && isNoTraffic(path.allowedTraffic)),
    layers: deciding?.layers ?? [],
    paths,
  };
}

/** Every host pair's verdict between two resolved endpoints. */
export function evaluateEndpoints(layers: readonly Layer[], from: Endpoint, to: Endpoint, query: Traffic): PathVerdict[] {
  return from.hosts.flatMap((source) => to.hosts.map((destination) => evaluatePath(layers, source, destination, query)));
}

/** What passes between one host pair, without the explanation: the matrix's verdict-only form of a {@link PathVerdict}. */
export interface PathPass {
  /** The part of the queried traffic that passes every point (as {@link PathVerdict.allowedTraffic}). */
  readonly allowedTraffic: Traffic;
  /** Whether any enforcement point is on the path (as {@link PathVerdict.enforced}). */
  readonly enforced: boolean;
}

/** What passes between two resolved endpoints, folded over their host pairs. */
export interface EndpointsPass {
  /** The traffic that passes between every host pair (the query's own when there is no pair). */
  readonly allowedTraffic: Traffic;
  /** Whether any host pair has an enforcement point on its path. */
  readonly enforced: boolean;
  /** How many host pairs there are. */
  readonly pairs: number;
}

/**
 * The traffic that passes between every host pair of two resolved endpoints: {@link evaluateEndpoints}
 * without reasons or deciding rules, through each layer's `passes` where it has one, folded as it
 * goes (a matrix asks this for every cell).
 */
export function passBetween(layers: readonly Layer[], from: Endpoint, to: Endpoint, query: Traffic): EndpointsPass {
  let allowedTraffic = query;
  let enforced = false;
  for (const source of from.hosts) {
    for (const destination of to.hosts) {
      const pass = passOfPath(layers, source, destination, query);
      allowedTraffic = intersectTraffic(allowedTraffic, pass.allowedTraffic);
      enforced ||= pass.enforced;
    }
  }
  return { allowedTraffic, enforced, pairs: from.hosts.length * to.hosts.length };
}

/** {@link evaluatePath} without the explanation; it allocates nothing of its own for a pair of one family (a matrix asks for every pair). */
function passOfPath(layers: readonly Layer[], source: Host, destination: Host, query: Traffic): PathPass {
  const families = commonFamilies(source, destination);
  if (families === undefined) return passOfFamilyPath(layers, source, destination, query);
  if (families.length === 1) return passOfFamilyPath(layers, familyView(source, families[0]), familyView(destination, families[0]), query);
  const passes = families.map((family) => passOfFamilyPath(layers, familyView(source, family), familyView(destination, family), query));
  return {
    allowedTraffic: passes.reduce((passing, pass) => unionTraffic(passing, pass.allowedTraffic), NO_TRAFFIC),
    enforced: passes.some((pass) => pass.enforced),
  };
}

function passOfFamilyPath(layers: readonly Layer[], source: Host, destination: Host, query: Traffic): PathPass {
  let allowedTraffic = query;
  let enforced = false;
  for (const layer of layers) {
    const points = layer.passes ? layer.passes(source, destination, query) : layer.evaluate(source, destination, query);
    for (const point of points) {
      allowedTraffic = intersectTraffic(allowedTraffic, point.allowedTraffic);
      if (point.status !== 'skipped') enforced = true;
    }
    // nothing passes and something enforces: no later layer can change either
    if (enforced && isNoTraffic(allowedTraffic)) break;
  }
  return { allowedTraffic, enforced };
}

/**
 * The verdict of one host pair: of each address family both can use (see `familyPaths`), the one
 * that lets all of the traffic through, else one the JSON cannot decide, else the first; the
 * traffic that passes in any family.
 */
function evaluatePath(layers: readonly Layer[], source: Host, destination: Host, query: Traffic): PathVerdict {
  const paths = familyPaths(source, destination);
  if (paths.length === 1) return evaluateFamilyPath(layers, paths[0][0], paths[0][1], query);
  const verdicts = paths.map(([from, to]) => evaluateFamilyPath(layers, from, to, query));
  const shown = verdicts.find((verdict) => verdict.allowed) ?? verdicts.find((verdict) => verdict.status === 'unknown') ?? verdicts[0];
  return {
    ...shown,
    allowedTraffic: verdicts.reduce((passing, verdict) => unionTraffic(passing, verdict.allowedTraffic), NO_TRAFFIC),
    enforced: verdicts.some((verdict) => verdict.enforced),
  };
}

function evaluateFamilyPath(layers: readonly Layer[], source: Host, destination: Host, query: Traffic): PathVerdict {
  const points = layers.flatMap((layer) => layer.evaluate(source, destination, query));
  const allowedTraffic = points.reduce((passing, point) => intersectTraffic(passing, point.allowedTraffic), query);
  const allowed = points.every((point) => point.allowed) && coversTraffic(allowedTraffic, query);
  const status = allowed ? 'allowed' : points.some((point) => point.status === 'denied') ? 'denied' : 'unknown';
  const enforced = points.some((point) => point.status !== 'skipped');
  return { from: source.name, to: destination.name, allowed, status, layers: points, allowedTraffic, enforced };
}

const layerCache = new WeakMap<Estate, Map<string, Layer[]>>();

/** The layers of every registered platform for an estate and the given options, built once and cached. */
export function layersOf(estate: Estate, options: EvaluateOptions = {}): Layer[] {
  const ephemeral = options.ephemeralPorts;
  const vnets = options.vnetAddressSpaces ?? [];
  const key = `${ephemeral?.join('-') ?? 'declared'}|${vnets.join(',')}`;
  const cached = layerCache.get(estate) ?? new Map<string, Layer[]>();
  layerCache.set(estate, cached);
  let layers = cached.get(key);
  if (!layers) {
    const settings = { ephemeralPorts: ephemeral, vnetAddressSpaces: vnets };
    layers = PLATFORMS.all.flatMap((platform) => platform.layers(estate, settings));
    cached.set(key, layers);
  }
  return layers;
}
