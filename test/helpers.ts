import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AwsEnforcement, Segment, Workload, AwsBinding } from '../lib';

/** A synthesized stack: its parsed cdk.tf.json and the raw text. */
export interface SynthesizedStack {
  readonly json: any;
  readonly text: string;
}

/** A fresh app that writes into its own temporary directory (in HCL with `hclOutput`). */
export function newApp(options: { readonly hclOutput?: boolean } = {}): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-test-')), stackTraces: false, ...options });
}

/** Every file an app wrote, by path under its outdir, with the outdir itself written `<outdir>`. */
export function writtenFiles(app: App): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(app.outdir, full)] = fs.readFileSync(full, 'utf8').split(app.outdir).join('<outdir>');
    }
  };
  walk(app.outdir);
  return files;
}

/** Synthesizes the whole app (validations included) and reads every stack back. */
export function synthApp(app: App): Record<string, SynthesizedStack> {
  app.synth();
  const stacksDir = path.join(app.outdir, 'stacks');
  const result: Record<string, SynthesizedStack> = {};
  for (const name of fs.readdirSync(stacksDir).sort()) {
    const text = fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8');
    result[name] = { text, json: JSON.parse(text) };
  }
  return result;
}

/** A stack with an AWS provider. */
export function awsStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}

/** Arguments a test may add to an instance. */
export type InstanceExtras = Partial<{ vpcSecurityGroupIds: string[]; privateIp: string; subnetId: string; ipv6Addresses: string[] }>;

/** An EC2 instance with fixed arguments. */
export function instance(stack: TerraformStack, id: string, extra: InstanceExtras = {}): Instance {
  return new Instance(stack, id, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro', ...extra });
}

/** An AWS stack `id` with an enforcement, a segment Web (tier web) and one member instance WebVm. */
export function awsWebEstate(id: string): { app: App; stack: TerraformStack; web: Segment } {
  const app = newApp();
  const stack = awsStack(app, id);
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
  return { app, stack, web };
}

/** One independent declaration of an estate; the segments declared so far are shared by name. */
export type EstateStep = (stack: TerraformStack, segments: Record<string, Segment>) => void;

/** The segment `name` selecting `{ tier }`, declared by whichever step needs it first. */
export function tierSegment(stack: TerraformStack, segments: Record<string, Segment>, name: string, tier: string): Segment {
  segments[name] = segments[name] ?? new Segment(stack, name, { selector: { tier } });
  return segments[name];
}

/** Runs `steps`, in the given order, on a fresh stack `id` made by `makeStack`, and returns its synthesized JSON text. */
export function synthSteps(makeStack: (app: App, id: string) => TerraformStack, id: string, steps: EstateStep[]): string {
  const app = newApp();
  const stack = makeStack(app, id);
  const segments: Record<string, Segment> = {};
  for (const step of steps) step(stack, segments);
  return synthApp(app)[id].text;
}

/** Resources of one type in a synthesized stack, keyed by Terraform name. */
export function resourcesOf(stack: SynthesizedStack, type: string): Record<string, any> {
  return stack.json.resource?.[type] ?? {};
}

/** Every `type.name` address of the stack's resources. */
export function addressesOf(stack: SynthesizedStack): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries<any>(stack.json.resource ?? {})) {
    for (const name of Object.keys(byName)) out.push(`${type}.${name}`);
  }
  return out.sort();
}

/** The message of the error `fn` throws (fails the test if it does not throw). */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but none was thrown');
}

/** Every `${...}` reference of a stack that names no resource or data source of that same stack. */
export function danglingReferences(json: any): string[] {
  const declared = new Set<string>();
  for (const [type, byName] of Object.entries<any>(json.resource ?? {})) for (const name of Object.keys(byName)) declared.add(`${type}.${name}`);
  for (const [type, byName] of Object.entries<any>(json.data ?? {})) for (const name of Object.keys(byName)) declared.add(`data.${type}.${name}`);
  const text = JSON.stringify({ resource: json.resource, data: json.data, output: json.output });
  const dangling: string[] = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    for (const ref of match[1].matchAll(/\b((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\./g)) {
      if (!declared.has(ref[1])) dangling.push(ref[1]);
    }
  }
  return dangling;
}
