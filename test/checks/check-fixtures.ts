import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { IConstruct } from 'constructs';
import { CheckOutcome, CheckPack, CheckResult, ICheckRule } from '../../lib/checks';
import { Segment } from '../../lib/segment';
import { Workload } from '../../lib/workload';
import { newApp } from '../helpers';

/** An app with one stack and no enforcement (so no renderer creates resources). */
export function estate(): { app: App; stack: TerraformStack } {
  const app = newApp();
  const stack = new TerraformStack(app, 'shop');
  return { app, stack };
}

/** An external workload with labels. */
export function host(scope: IConstruct, id: string, labels: Record<string, string>, address = '10.0.0.1'): Workload {
  return new Workload(scope as any, id, { addresses: [address], labels });
}

/** A segment with one member, selected by label. */
export function segmentWithMember(scope: IConstruct, id: string, tier: string): Segment {
  const segment = new Segment(scope as any, id, { selector: { tier } });
  host(scope, `${id}Vm`, { tier }, `10.0.${id.length}.${tier.length}`);
  return segment;
}

/** Results of one rule over the app of `scope`, without NOT_APPLICABLE ones. */
export function resultsOf(rule: ICheckRule, scope: IConstruct): CheckResult[] {
  return new CheckPack('test', [rule]).check(scope).filter((r) => r.outcome !== CheckOutcome.NOT_APPLICABLE);
}

/** Annotation messages of one level on a construct. */
export function annotations(construct: IConstruct, level: 'info' | 'warn' | 'error'): string[] {
  return construct.node.metadata.filter((m) => m.type === `@cdktf/${level}`).map((m) => String(m.data));
}

/** Runs the stack's Aspects (as synthesis does) without writing anything. */
export function runAspects(stack: TerraformStack): void {
  Testing.synth(stack);
}

/** Annotations of every stack, as written to the manifest by `app.synth()`. */
export function manifestAnnotations(app: App): Array<{ stack: string; constructPath: string; level: string; message: string }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
  const out: Array<{ stack: string; constructPath: string; level: string; message: string }> = [];
  for (const [stack, entry] of Object.entries<any>(manifest.stacks)) {
    for (const a of entry.annotations ?? []) out.push({ stack, constructPath: a.constructPath, level: a.level, message: a.message });
  }
  return out;
}
