import * as fs from 'fs';
import * as path from 'path';
import { SynthFinding } from './synth-findings';
import { MicrosegChecks } from '../checks/microseg-checks';

/** The SARIF 2.1.0 schema's address, as code-scanning tools expect it in `$schema`. */
const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/**
 * The findings as a SARIF 2.1.0 log: one run of the tool `cdktf-microseg`, a reporting descriptor
 * per rule id (with the default pack's description and level where known), and a result per
 * finding with its level, message, the construct path as logical location, the stack file as
 * physical location (relative to `baseDir`), and suppressions (`inSource`, accepted, with the reason).
 */
export function toSarif(findings: readonly SynthFinding[], outputDir: string, baseDir: string, version: string): object {
  const known = new Map(MicrosegChecks.RULES.map((rule) => [rule.id, rule]));
  const ruleIds = [...new Set(findings.map((finding) => finding.ruleId))].sort();
  const rules = ruleIds.map((id) => {
    const rule = known.get(id);
    const level = rule ? (String(rule.level).toLowerCase() === 'error' ? 'error' : 'warning') : 'warning';
    return {
      id,
      shortDescription: { text: rule?.description ?? `cdktf-microseg warning ${id}` },
      defaultConfiguration: { level },
    };
  });
  const lines = new Map<string, string[]>();
  const results = findings.map((finding) => {
    const file = path.join(outputDir, finding.stackFile);
    const uri = path.relative(baseDir, file).split(path.sep).join('/');
    return {
      ruleId: finding.ruleId,
      ruleIndex: ruleIds.indexOf(finding.ruleId),
      level: finding.suppression ? rules[ruleIds.indexOf(finding.ruleId)].defaultConfiguration.level : finding.level,
      message: { text: finding.outcome === 'unknown' ? `cannot check: ${finding.message}` : finding.message },
      locations: [{
        physicalLocation: { artifactLocation: { uri }, region: { startLine: lineNaming(file, finding.constructPath, lines) } },
        logicalLocations: [{ fullyQualifiedName: finding.constructPath, kind: 'resource' }],
      }],
      ...(finding.suppression ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: finding.suppression.reason }] } : {}),
      properties: {
        constructPath: finding.constructPath,
        stack: finding.stack,
        outcome: finding.outcome,
        ...(finding.suppression ? { suppressedOn: finding.suppression.addedTo } : {}),
      },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'cdktf-microseg', version, informationUri: 'https://github.com/cdktf-microseg/cdktf-microseg', rules } },
      results,
    }],
  };
}

/**
 * The first line of the stack file that names the construct (a resource's metadata path, or the
 * provenance of the rules a flow renders), else 1: code-scanning tools need a line to show a result
 * at. Each file is read once.
 */
function lineNaming(file: string, constructPath: string, cache: Map<string, string[]>): number {
  let text = cache.get(file);
  if (text === undefined) {
    text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
    cache.set(file, text);
  }
  const quoted = JSON.stringify(constructPath);
  const index = text.findIndex((line) => line.includes(quoted));
  return index < 0 ? 1 : index + 1;
}

