import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { VsphereProvider } from '@cdktf/provider-vsphere/lib/provider';
import { TerraformStack } from 'cdktf';
import { EstateSpec, declareEstate } from './random-estate';
import { AwsEnforcement, AzureEnforcement, NsxEnforcement, nsxt, WorkloadProps, AwsBinding, AzureBinding, VsphereBinding } from '../../lib';
import { loadTerraformStacks } from '../../lib/verify';
import { azureStack } from '../azure/azure-fixtures';
import { awsStack, instance, newApp, synthApp } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

// The platforms random estates (random-estate.ts) are synthesized on, and the synthesis itself.

/** How a platform's estate is set up: a stack with its enforcement(s), and a workload binding. */
export interface PlatformSetup {
  readonly name: string;
  readonly runs: number;
  /** Whether estates carry DenyFlow guardrails. */
  readonly denies: boolean;
  /**
   * Whether a DenyFlow the platform cannot render is a synth error (AWS security groups): then an
   * estate either synthesizes with the intended verdicts or fails, and only when the rendered allows
   * would let through traffic a DenyFlow forbids.
   */
  readonly conflictsFail?: boolean;
  stack(app: ReturnType<typeof newApp>): { stack: TerraformStack; bind: (id: string, index: number) => Partial<WorkloadProps> };
}

export const PLATFORMS: PlatformSetup[] = [
  {
    name: 'AWS security groups, with guardrail denies (conflicts fail synthesis)',
    runs: 100,
    denies: true,
    conflictsFail: true,
    stack: (app) => {
      const stack = awsStack(app, 'prop');
      new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0prop' });
      return { stack, bind: (id) => ({ binding: AwsBinding.instance(instance(stack, id)) }) };
    },
  },
  {
    name: 'Azure NSGs (subnet and NIC level), with guardrail denies',
    runs: 60,
    denies: true,
    stack: (app) => {
      const { stack, rg, subnet, nic } = azureStack(app, 'prop');
      new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id], nicNsgs: true });
      return { stack, bind: (id, index) => ({ binding: AzureBinding.networkInterface(nic(id, `10.1.1.${10 + index}`)) }) };
    },
  },
  {
    name: 'NSX distributed firewall, with guardrail denies',
    runs: 60,
    denies: true,
    stack: (app) => {
      const stack = nsxStack(app, 'prop');
      new NsxEnforcement(stack, 'Nsx');
      return { stack, bind: (id) => ({ binding: VsphereBinding.virtualMachine(vm(stack, id)) }) };
    },
  },
  {
    name: 'AWS, Azure and NSX in one estate, addressed by Terraform expressions',
    runs: 40,
    denies: false,
    stack: (app) => {
      const { stack, rg, subnet, nic } = azureStack(app, 'prop');
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      new VsphereProvider(stack, 'vsphere', { user: 'u', password: 'p', vcenterServer: 'vc.example' });
      new nsxt.NsxtProvider(stack, 'nsxt', { host: 'nsx.example', username: 'u', password: 'p' });
      new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0prop' });
      new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id], nicNsgs: true });
      new NsxEnforcement(stack, 'Nsx');
      return {
        stack,
        bind: (id, index) => {
          switch (index % 3) {
            case 0: {
              const i = instance(stack, id, { privateIp: `10.0.5.${10 + index}` });
              return { binding: AwsBinding.instance(i), addresses: [i.privateIp] };
            }
            case 1: {
              const n = nic(id, `10.1.1.${10 + index}`);
              return { binding: AzureBinding.networkInterface(n), addresses: [n.privateIpAddress] };
            }
            default: {
              const v = vm(stack, id);
              return { binding: VsphereBinding.virtualMachine(v), addresses: [v.defaultIpAddress] };
            }
          }
        },
      };
    },
  },
];

/** Synthesizes an estate on a platform and loads the stacks into the evaluator's model. */
export function synthesize(platform: PlatformSetup, spec: EstateSpec, withDenies = true) {
  const app = newApp();
  const { stack, bind } = platform.stack(app);
  declareEstate(spec, {
    segmentScope: () => stack,
    workloadScope: () => stack,
    externalScope: () => stack,
    flowScope: () => stack,
    bind: (_scope, index) => bind(`vm${index}`, index),
  }, withDenies);
  const stacks = synthApp(app);
  return loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.json])));
}
