import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { ChangeImpact, InterruptedTraffic } from '../../lib/verify/diff/change-impact';
import { loadTerraform } from '../../lib/verify/model/load-terraform';
import { TerraformModel } from '../../lib/verify/model/terraform-model';

// Helpers for change-safety tests: synthesize two versions of an app (the allocation file of the
// first carried into the second through the app context `microseg:allocationFile`), compare them with
// `changeImpact` (lib/verify/diff/change-impact.ts) and report what is unsafe.
//
//   const allocations = allocationFile();
//   const before = synthesizeVersion(buildApp(v1, allocations));
//   const after = synthesizeVersion(buildApp(v2, allocations));
//   expect(unsafeChanges(changeImpact(before.model, after.model), after.warnings)).toEqual({ interrupted: [], duplicates: [] });

/** A synthesized version of an app: its model and the warnings synthesis printed. */
export interface SynthesizedVersion {
  readonly model: TerraformModel;
  readonly warnings: readonly string[];
}

/**
 * Synthesizes the app (validations included; its allocation file is written when the context names
 * one), loads every stack and collects the warnings. Give the app its own `outdir`; it is removed.
 */
export function synthesizeVersion(app: App): SynthesizedVersion {
  try {
    app.synth();
    const warnings = app.node.findAll().flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === '@cdktf/warn').map((entry) => String(entry.data));
    return { model: loadTerraform(app.outdir), warnings: [...new Set(warnings)].sort() };
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

/** A fresh app writing into a temporary directory, with the allocation file in its context. */
export function appWithAllocations(allocations: string): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-change-safety-'));
  return new App({ outdir, stackTraces: false, context: { 'microseg:allocationFile': allocations } });
}

/** A warning that may announce a window: its stable id, and what it must name besides each flow. */
export interface WarningPin {
  /** The stable id (`[microseg:rule-moves-stack]`). */
  readonly id: RegExp;
  /** Texts the warning must contain too (the two stacks). */
  readonly names: readonly string[];
}

const allocationDirs: string[] = [];

/** Removes every allocation file made by {@link allocationFile} (call it in `afterAll`). */
export function removeAllocationFiles(): void {
  allocationDirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
}

/** A temporary allocation file; a copy of `from` when given (so each change starts from the same previous synthesis). */
export function allocationFile(from?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-allocations-'));
  allocationDirs.push(dir);
  const file = path.join(dir, 'microseg.allocations.json');
  if (from && fs.existsSync(from)) fs.copyFileSync(from, file);
  return file;
}

/**
 * What is unsafe in a change, as lines to compare with `{ interrupted: [], duplicates: [] }`: one
 * per group of flows that drop (with one example pair, the moment, and the resources the apply
 * removes with why) and one per duplicate. Flows that a warning of the `pin` names (by their path
 * within their stack, so a declaration that moved to another stack counts), together with every text
 * the pin requires, are left out, and so are duplicates whose flows are all so named: they are the
 * platform's announced window.
 */
export function unsafeChanges(impact: ChangeImpact, warnings: readonly string[], pin?: WarningPin) {
  const planned = new Map(impact.stacks.flatMap((stack) => [...stack.destroyed, ...stack.replaced])
    .map((change) => [`${change.stack}:${change.address}`, `${change.action} ${change.stack}:${change.address} (${change.reasons.join(', ')})`]));
  // a flow whose declaration moves is named by its new path: its path within its stack is enough;
  // the names count outside the flow's path (which itself starts with a stack name)
  const withinStack = (flow: string) => flow.slice(flow.indexOf('/'));
  const announces = (warning: string, flow: string) => pin !== undefined && pin.id.test(warning) && warning.includes(withinStack(flow))
    && pin.names.every((text) => warning.split(flow).join('').includes(text));
  const warned = (flows: readonly string[]) => flows.length > 0 && flows.every((flow) => warnings.some((warning) => announces(warning, flow)));
  const byFlows = new Map<string, InterruptedTraffic[]>();
  for (const traffic of impact.interrupted.filter((candidate) => !warned(candidate.flows))) {
    const key = traffic.flows.join(', ') || '(no flow recorded)';
    byFlows.set(key, [...(byFlows.get(key) ?? []), traffic]);
  }
  const interrupted = [...byFlows.entries()].map(([flows, list]) => {
    const example = list.find((traffic) => traffic.level === 'workload') ?? list[0];
    const resources = [...new Set(list.flatMap((traffic) => traffic.resources))].map((resource) => planned.get(resource) ?? resource);
    return `${flows} drops (${example.ports.join(' ')} ${example.from} -> ${example.to}${list.length > 1 ? `, ${list.length - 1} more pairs` : ''}) `
      + `${example.moments[0]}, via ${resources.join('; ') || 'no removed rule'}`;
  });
  return {
    interrupted,
    duplicates: impact.duplicates.filter((failure) => !warned(failure.flows)).map((failure) => `${failure.kind} (${failure.when}): ${failure.detail}`),
  };
}

