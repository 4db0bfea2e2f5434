import { App, TerraformStack } from 'cdktf';
import * as fc from 'fast-check';
import { EstateSpec, declareEstate, estateArb, intentAllows, probesOf } from './random-estate';
import { AwsEnforcement, NsxEnforcement, WorkloadProps, AwsBinding, VsphereBinding } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { foreignReferences } from '../azure/azure-fixtures';
import { awsStack, instance, newApp, synthApp } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

// Property: an estate spread over several stacks of one app means what it would mean in one stack.
// Segments live in a shared stack, workloads in two stacks with an enforcement each, flows and
// guardrails are declared in the shared stack or in a policy stack. Synthesis succeeds, every
// stack references only its own resources (others' values arrive through remote state), and the
// evaluator's verdict over all stacks equals the intent for every probe.

/** How one platform's multi-stack estate is set up. */
interface Layout {
  readonly name: string;
  readonly runs: number;
  readonly denies: boolean;
  /** A stack of the platform, with its providers. */
  stack(app: App, id: string): TerraformStack;
  /** The enforcement of a stack that holds workloads. */
  enforce(stack: TerraformStack): void;
  /** The binding of workload `index` in `stack`. */
  bind(stack: TerraformStack, index: number): Partial<WorkloadProps>;
}

const LAYOUTS: Layout[] = [
  {
    name: 'AWS security groups',
    runs: 40,
    denies: false,
    stack: (app, id) => awsStack(app, id),
    enforce: (stack) => new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0prop' }),
    bind: (stack, index) => ({ binding: AwsBinding.instance(instance(stack, `vm${index}`)) }),
  },
  {
    name: 'NSX distributed firewall, with guardrail denies',
    runs: 40,
    denies: true,
    stack: (app, id) => nsxStack(app, id),
    enforce: (stack) => new NsxEnforcement(stack, 'Nsx'),
    // One NSX manager, two teams: each enforcement reaches the other team's VMs by their addresses.
    bind: (stack, index) => ({ binding: VsphereBinding.virtualMachine(vm(stack, `vm${index}`)), addresses: [`10.9.0.${10 + index}`] }),
  },
];

/** The stack a workload lives in, and the stack a flow or guardrail is declared in. */
const workloadStack = (index: number) => (index % 2 === 0 ? 'wa' : 'wb');
const declaringStack = (index: number) => (index % 2 === 0 ? 'shared' : 'policy');

function synthesize(layout: Layout, spec: EstateSpec) {
  const app = newApp();
  const stacks: Record<string, TerraformStack> = {};
  for (const id of ['shared', 'policy', 'wa', 'wb']) stacks[id] = layout.stack(app, id);
  layout.enforce(stacks.wa);
  layout.enforce(stacks.wb);
  declareEstate(spec, {
    segmentScope: () => stacks.shared,
    workloadScope: (i) => stacks[workloadStack(i)],
    externalScope: () => stacks.shared,
    flowScope: (i) => stacks[declaringStack(i)],
    bind: (scope, i) => layout.bind(scope as TerraformStack, i),
  });
  return synthApp(app);
}

describe('property: an estate over several stacks means its intent', () => {
  test.each(LAYOUTS.map((l) => [l.name, l] as const))('%s', (_name, layout) => {
    fc.assert(fc.property(estateArb(layout.denies), fc.integer({ min: 999, max: 1012 }), (spec, probePort) => {
      const out = synthesize(layout, spec);
      for (const [name, stack] of Object.entries(out)) {
        const foreign = foreignReferences(stack.json);
        if (foreign.length > 0) throw new Error(`stack ${name} references resources of other stacks directly: ${foreign.join(', ')}\n${JSON.stringify(spec)}`);
      }
      const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, s]) => [name, s.json])));
      for (const probe of probesOf(spec, probePort)) {
        const expected = intentAllows(spec, probe.source, probe.destination, probe.protocol, probe.port);
        const name = (h: string) => (h.startsWith('W') ? `${workloadStack(Number(h.slice(1)))}/${h}` : h.startsWith('X') ? `shared/${h}` : h);
        const verdict = evaluate(model, { from: name(probe.source), to: name(probe.destination), port: `${probe.protocol}/${probe.port}` });
        if (verdict.allowed !== expected) {
          throw new Error(`${probe.source} -> ${probe.destination} ${probe.protocol}/${probe.port}: intent ${expected ? 'allows' : 'denies'}, evaluator says ${verdict.allowed ? 'allowed' : 'denied'}\n${JSON.stringify(spec)}`);
        }
      }
    }), { numRuns: Number(process.env.MICROSEG_PROPERTY_RUNS ?? layout.runs), seed: 20261202 });
  });
});
