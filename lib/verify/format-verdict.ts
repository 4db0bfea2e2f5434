import { counted } from './counted';
import { DecidingRule, LayerVerdict } from './layers/layer-verdict';
import { ALL_TRAFFIC, formatTraffic, intersectTraffic, isNoTraffic } from './net/traffic';
import { PathVerdict, Verdict } from './verdict';

/** A verdict as readable text: the outcome, then every enforcement point with its reason and deciding rules. */
export function formatVerdict(verdict: Verdict): string {
  const lines = [headline(verdict)];
  if (verdict.paths.length === 1) {
    lines.push(...formatPoints(verdict.paths[0].layers, '  '));
  } else {
    for (const path of verdict.paths) {
      lines.push(`  ${pathWord(path)}: ${path.from} -> ${path.to}`);
      lines.push(...formatPoints(path.layers, '    '));
    }
  }
  if (verdict.paths.every((path) => path.layers.length === 0)) lines.push('  no enforcement layer of the Terraform JSON is on this path');
  return lines.join('\n');
}

/** The verdict line: the outcome, the flow and, when only part of the queried traffic passes, which part. */
function headline(verdict: Verdict): string {
  const line = `${outcomeWord(verdict)}: ${verdict.from} -> ${verdict.to} on ${verdict.port}`;
  if (verdict.allowed || verdict.denied || verdict.paths.length === 0) return line;
  const passing = verdict.paths.reduce((common, path) => intersectTraffic(common, path.allowedTraffic), ALL_TRAFFIC);
  if (isNoTraffic(passing)) return `${line}; it passes for some host pairs only`;
  return `${line}; only ${formatTraffic(passing).join(',')} passes`;
}

function outcomeWord(verdict: Verdict): string {
  if (verdict.allowed) return 'ALLOWED';
  if (verdict.denied) return 'DENIED';
  return verdict.paths.some((path) => path.status === 'unknown') ? 'NOT PROVEN ALLOWED' : 'PARTLY DENIED';
}

function pathWord(path: PathVerdict): string {
  return path.status.toUpperCase();
}

function formatPoints(points: readonly LayerVerdict[], indent: string): string[] {
  return points.flatMap((point) => [
    `${indent}[${point.layer}] ${point.point}: ${point.status} - ${point.reason}`,
    ...point.decidingRules.map((rule) => `${indent}    ${formatRule(rule)}`),
  ]);
}

/** One deciding rule as a line: address, construct path, summary and the flows that produced it. */
export function formatRule(rule: DecidingRule): string {
  const path = rule.constructPath ? ` (${rule.constructPath})` : '';
  const flows = rule.flows.length > 0 ? ` [flows: ${rule.flows.join(', ')}]` : '';
  const guardrails = rule.guardrails?.length ? ` [guardrails: ${rule.guardrails.join(', ')}]` : '';
  return `${rule.address}${path}: ${rule.summary}${flows}${guardrails}`;
}

/**
 * A verdict in two lines: the outcome, then the flows that allow it or the enforcement points that
 * stop it. {@link formatVerdict} has every point and rule.
 */
export function formatVerdictSummary(verdict: Verdict): string {
  const lines = [headline(verdict)];
  const points = verdict.paths.flatMap((path) => path.layers);
  if (points.length === 0) {
    lines.push('  no enforcement layer of the Terraform JSON is on this path');
  } else if (verdict.allowed) {
    const flows = [...new Set(points.flatMap((point) => point.decidingRules.flatMap((rule) => rule.flows)))].sort();
    const enforced = points.filter((point) => point.status !== 'skipped').length;
    lines.push(`  by ${flows.length > 0 ? `flows ${flows.join(', ')}` : 'rules no flow recorded'}; ${counted(enforced, 'enforcement point passes', 'enforcement points pass')} it (--explain for each)`);
  } else {
    const stops = [...new Set(points.filter((point) => point.status === 'denied' || point.status === 'unknown').map((point) => `${point.point} [${point.layer}, ${point.status}]`))];
    lines.push(`  ${verdict.denied ? 'stopped' : 'the rest stopped'} at ${stops.join('; ')} (--explain for the reasons and rules)`);
  }
  return lines.join('\n');
}
