import { LayerVerdict } from '../verify/layers/layer-verdict';
import { formatTraffic } from '../verify/net/traffic';
import { PathVerdict, Verdict } from '../verify/verdict';

/** A verdict as plain JSON, with traffic sets written as port strings (`passing`). */
export function verdictToJson(verdict: Verdict): object {
  return {
    from: verdict.from,
    to: verdict.to,
    port: verdict.port,
    allowed: verdict.allowed,
    denied: verdict.denied,
    layers: verdict.layers.map(layerToJson),
    paths: verdict.paths.map(pathToJson),
  };
}

function pathToJson(path: PathVerdict): object {
  return {
    from: path.from,
    to: path.to,
    allowed: path.allowed,
    status: path.status,
    passing: formatTraffic(path.allowedTraffic),
    layers: path.layers.map(layerToJson),
  };
}

function layerToJson(layer: LayerVerdict): object {
  const { allowedTraffic, ...rest } = layer;
  return { ...rest, passing: formatTraffic(allowedTraffic) };
}
