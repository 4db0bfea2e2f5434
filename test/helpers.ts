import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';

/** A synthesized stack: its parsed cdk.tf.json and the raw text. */
export interface SynthesizedStack {
  readonly json: any;
  readonly text: string;
}

/** A fresh app that writes into its own temporary directory. */
export function newApp(): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-test-')), stackTraces: false });
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
export type InstanceExtras = Partial<{ vpcSecurityGroupIds: string[]; privateIp: string; subnetId: string }>;

/** An EC2 instance with fixed arguments. */
export function instance(stack: TerraformStack, id: string, extra: InstanceExtras = {}): Instance {
  return new Instance(stack, id, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro', ...extra });
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
