/* eslint-disable @typescript-eslint/no-require-imports -- a delivery's provider package loads only when an app uses that delivery */
import * as fs from 'fs';
import * as path from 'path';
import { Lazy, TerraformOutput, TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { HostBinding } from './binding';
import { HostDelivery, HostDeliveryKind } from './delivery';
import { agentTrafficWarning, uncarriedAgentTraffic } from './delivery-egress';
import { deliveryScript, iptablesLoaderFile } from './delivery-script';
import { HostFirewallEnforcement } from './enforcement';
import { HostFirewallFlavor } from './flavor';
import { HostFirewall } from './host-firewall';
import { hostFirewallGuards, hostFirewallRuns } from './host-platform-use';
import { HostRule, HostRuleTier, HostRules, hostRulesOf } from './host-rules';
import { iptablesRuleSet } from './iptables-rule-set';
import { nftablesRuleSet } from './nftables-rule-set';
import { RuleSetData } from './rule-set-data';
import { RuleSetFile, RuleSetInput } from './rule-set-text';
import { windowsRuleSet } from './windows-rule-set';
import { intersectPortLists, portKey } from '../model/ports';
import { bulkResource } from '../private/bulk-resource';
import { idFromKey } from '../private/identity';
import { loadOnce } from '../private/load-once';
import { asTableEntry } from '../private/one-byte-strings';
import { HostFirewallProvenance } from '../provenance/contract';
import { writeHostFirewallProvenance } from '../provenance/resource-comments';
import { PlatformRenderer, PolicyRegistry, stackOf } from '../registry';
import { warnOnce } from '../render/app-wide-validation';
import { oncePerDeclarationState } from '../render/once-per-declarations';
import { Workload } from '../workload';

const ssmClasses = loadOnce(() => ({
  SsmDocument: (require('@cdktf/provider-aws/lib/ssm-document') as typeof import('@cdktf/provider-aws/lib/ssm-document')).SsmDocument,
  SsmAssociation: (require('@cdktf/provider-aws/lib/ssm-association') as typeof import('@cdktf/provider-aws/lib/ssm-association')).SsmAssociation,
}));
const runCommandClass = loadOnce(() => (require('@cdktf/provider-azurerm/lib/virtual-machine-run-command') as typeof import('@cdktf/provider-azurerm/lib/virtual-machine-run-command')).VirtualMachineRunCommand);
/** cdktf's custom synthesis hook and its resolver, which its package index does not export. */
const cdktfInternals = loadOnce(() => ({
  addCustomSynthesis: (require('cdktf/lib/synthesize/synthesizer') as { addCustomSynthesis: (construct: Construct, synthesis: { onSynthesize(session: any): void }) => void }).addCustomSynthesis,
  resolve: (require('cdktf/lib/_tokens') as { resolve: (scope: Construct, value: string) => string }).resolve,
}));

/** The folder below a stack's output directory that holds its rendered host rule sets. */
export const HOST_FIREWALL_DIRECTORY = 'host-firewall';

/** How one workload's host firewall is set up. */
interface HostSettings {
  readonly flavor: HostFirewallFlavor;
  readonly delivery: HostDelivery;
}

/**
 * Renders the host firewall of every workload that has one (a `HostBinding`, a `HostFirewall`, or
 * a workload bound to a resource in a stack with a `HostFirewallEnforcement`): its rule set in its
 * flavor and the resource that delivers it. The rule set is computed when the stack is synthesized,
 * from the complete program, so a flow or a peer declared later is in it.
 */
export class HostFirewallRenderer implements PlatformRenderer {
  private readonly rendered = new Set<Workload>();
  /** How many of the app's HostFirewalls {@link onEnforcement} has looked at. */
  private firewallsSeen = 0;
  /** The stacks whose HostFirewallEnforcement {@link onEnforcement} has seen. */
  private readonly enforcedStacks = new Set<TerraformStack>();
  /** Whether {@link onEnforcement} has looked at every workload once. */
  private passed = false;

  public constructor(private readonly registry: PolicyRegistry) {}

  /** Renders the workload's host firewall if it has one. */
  public onWorkload(workload: Workload): void {
    this.consider(workload);
  }

  /**
   * A host firewall declared after its workloads: renders theirs. The first call (while the
   * registry replays, before any workload: rule sets are rendered in declaration order, as always)
   * and a stack's HostFirewallEnforcement look at every workload; a HostFirewall declared since
   * looks at its own workload only (every workload for each of them cost firewalls times workloads).
   */
  public onEnforcement(stack: TerraformStack): void {
    const firewalls = HostFirewall._allOf(stack);
    const declaredSince = firewalls.slice(this.firewallsSeen);
    this.firewallsSeen = firewalls.length;
    const newlyEnforced = !this.enforcedStacks.has(stack) && HostFirewallEnforcement.of(stack) !== undefined;
    if (newlyEnforced) this.enforcedStacks.add(stack);
    if (!this.passed || newlyEnforced) {
      this.passed = true;
      for (const workload of this.registry.workloads) this.consider(workload);
      return;
    }
    for (const firewall of declaredSince) this.consider(firewall.workload);
  }

  /** Rule sets are computed at synthesis: nothing to do now. */
  public onMembership(): void {}

  /** Rule sets are computed at synthesis: nothing to do now. */
  public onFlow(): void {}

  /** Rule sets are computed at synthesis: nothing to do now. */
  public onDenyFlow(): void {}

  private consider(workload: Workload): void {
    if (this.rendered.has(workload)) return;
    const settings = settingsOf(workload);
    if (!settings) return;
    this.rendered.add(workload);
    this.render(workload, settings);
  }

  private render(workload: Workload, settings: HostSettings): void {
    const stack = workload.resource ? stackOf(workload.resource) : stackOf(workload);
    const baseName = idFromKey(workload.identity, 60);
    const scope = new Construct(stack, asTableEntry(`MicrosegHost-${baseName}`));
    // its validation, its carrier (resolved in each pass of the synthesis), its files on disk and its
    // provenance all read the rules and their text: each is worked out once per declaration state
    const rules = oncePerDeclarationState(this.registry, (): HostRules => hostRulesOf(this.registry, workload));
    const files = oncePerDeclarationState(this.registry, (): RuleSetFile[] => ruleSetFiles(settings.flavor, {
      workload: workload.node.path, rules: rules().rules, baseName,
    }));
    const record = (): HostFirewallProvenance => ({
      workload: workload.node.path,
      flavor: settings.flavor,
      addresses: [...workload.addressCidrs],
      rules: rules().rules.map((rule) => ({
        direction: rule.direction,
        action: rule.action,
        ...(rule.peers ? { peers: [...rule.peers] } : {}),
        ...(rule.local ? { local: rule.local } : {}),
        ports: rule.ports.map(portKey),
        flows: [...rule.flows],
        guardrails: [...rule.guardrails],
      })),
    });
    scope.node.addValidation({
      validate: () => {
        const found = rules();
        if (settings.delivery.kind === HostDeliveryKind.FILES) warnOfExpressionsInFile(scope, workload, found, `microseg_host_${baseName.replace(/-/g, '_')}`);
        const uncarried = uncarriedAgentTraffic(settings.delivery.kind, found.rules);
        if (uncarried.length > 0) warnOnce(scope, agentTrafficWarning(workload.node.path, settings.delivery.kind, uncarried));
        return problemsOf(workload, settings, found).map((problem) => `Workload '${workload.node.path}' ${problem}`);
      },
    });
    const carrier = deliver(scope, workload, settings, baseName, files);
    writeHostFirewallProvenance(carrier, Lazy.anyValue({ produce: () => record() }) as unknown as HostFirewallProvenance);
  }
}

/**
 * A rule set file that names addresses known only at apply cannot be loaded as written: the
 * warning names the output that holds it resolved.
 */
function warnOfExpressionsInFile(scope: Construct, workload: Workload, rules: HostRules, output: string): void {
  const expressions = rules.rules
    .flatMap((rule) => [...(rule.peers ?? []), ...(rule.local ? [rule.local] : [])])
    .filter((address) => Token.isUnresolved(address));
  if (expressions.length === 0) return;
  const peers = rules.peerWorkloads.filter((peer) => peer.addressCidrs.some((address) => Token.isUnresolved(address))).map((peer) => `'${peer.node.path}'`);
  warnOnce(scope, `[microseg-host-file-expression] Workload '${workload.node.path}': its rule set file names addresses known only at apply (of ${peers.join(', ') || 'its peers'}), which the file holds as Terraform expressions. Apply the rule set from \`terraform output ${output}\` after the apply, or give those workloads literal addresses.`);
}

/**
 * The host firewall settings of a workload, or undefined when it has none. A stack's
 * `HostFirewallEnforcement` covers its servers only: a database, a function or a load balancer
 * runs no host firewall, so no rule set is written for it (its own `HostFirewall` still is).
 */
function settingsOf(workload: Workload): HostSettings | undefined {
  if (!hostFirewallGuards(workload)) return undefined;
  const own = HostFirewall._of(workload);
  if (!own && !hostFirewallRuns(workload)) return undefined;
  const binding = HostBinding.isHostBinding(workload.binding) ? workload.binding : undefined;
  const enforcement = workload.binding ? HostFirewallEnforcement.of(workload.resource ?? workload) : undefined;
  const flavor = own?.flavor ?? binding?.flavor ?? enforcement?.flavor ?? HostFirewallFlavor.NFTABLES;
  const delivery = own?.delivery ?? (workload.binding?.resourceType === 'aws_instance' && workload.resource ? HostDelivery.awsSsm() : HostDelivery.files());
  return { flavor, delivery };
}

/** The files of a rule set in a flavor. */
export function ruleSetFiles(flavor: HostFirewallFlavor, input: RuleSetInput): RuleSetFile[] {
  switch (flavor) {
    case HostFirewallFlavor.IPTABLES: return iptablesRuleSet(input);
    case HostFirewallFlavor.WINDOWS: return windowsRuleSet(input);
    default: return nftablesRuleSet(input);
  }
}

function problemsOf(workload: Workload, settings: HostSettings, rules: HostRules): string[] {
  const problems = [...rules.problems];
  const stack = workload.resource ? stackOf(workload.resource) : stackOf(workload);
  for (const peer of rules.peerWorkloads) {
    const peerStack = peer.resource ? stackOf(peer.resource) : stackOf(peer);
    const expression = peer.addressCidrs.find((address) => Token.isUnresolved(address));
    if (peerStack !== stack && expression !== undefined) {
      // a workload with literal addresses whose binding adds an expression (an instance's interface address)
      const fix = peer.addressCidrs.some((address) => !Token.isUnresolved(address)) && peer.binding
        ? `Its ${peer.binding.factory} binding adds that address from the resource: set it literally on the resource (for example the instance's private or network IP)`
        : 'Give that workload a literal address';
      problems.push(`has a host firewall whose rule set names workload '${peer.node.path}' of stack '${peerStack.node.path}' by an address known only at apply, which a rule set in stack '${stack.node.path}' cannot reference. ${fix}, or declare both in one stack.`);
    }
  }
  if (settings.flavor === HostFirewallFlavor.WINDOWS) problems.push(...windowsPrecedenceProblems(rules.rules), ...windowsSctpProblems(rules.rules));
  if (settings.delivery.kind === HostDeliveryKind.AWS_SSM && workload.binding?.resourceType !== 'aws_instance') {
    problems.push('has HostDelivery.awsSsm(), which targets an EC2 instance, but it is not bound with AwsBinding.instance(...). Bind the instance, or use HostDelivery.files().');
  }
  if (settings.delivery.kind === HostDeliveryKind.AZURE_RUN_COMMAND) {
    const vm = settings.delivery.virtualMachine as TerraformResource | undefined;
    const types = ['azurerm_linux_virtual_machine', 'azurerm_windows_virtual_machine', 'azurerm_virtual_machine'];
    if (!vm || !types.includes(vm.terraformResourceType)) {
      problems.push(`has HostDelivery.azureRunCommand(...) with ${vm ? `a ${vm.terraformResourceType}` : 'no resource'}. Pass the ${types.join(' or ')} that runs the workload.`);
    }
  }
  return problems;
}

/** Windows Defender Firewall matches ports for TCP and UDP only: SCTP can be matched only as a whole protocol. */
function windowsSctpProblems(rules: readonly HostRule[]): string[] {
  const problems = new Set<string>();
  for (const rule of rules) {
    const sctp = rule.ports.filter((port) => port.protocol === 'sctp' && (port.from > 0 || port.to < 65535));
    if (sctp.length === 0) continue;
    const owner = rule.flows.length > 0 ? `AllowFlow '${rule.flows[0]}'` : `DenyFlow '${rule.guardrails[0]}'`;
    problems.add(`runs Windows Defender Firewall, whose rules match ports for TCP and UDP only, so ${owner}'s ${sctp.map(portKey).join(', ')} cannot be written there. Use Port.allSctp() (every SCTP port), or enforce this workload with nftables or iptables.`);
  }
  return [...problems];
}

/**
 * Windows Defender Firewall applies a block rule before every allow rule, whatever their order: a
 * GuardrailAllow that must win over a DenyFlow at the same host cannot be written there.
 */
function windowsPrecedenceProblems(rules: readonly HostRule[]): string[] {
  const grants = rules.filter((rule) => rule.tier === HostRuleTier.GUARDRAIL_ALLOW);
  const denies = rules.filter((rule) => rule.tier === HostRuleTier.GUARDRAIL_DENY);
  const problems: string[] = [];
  for (const grant of grants) {
    for (const deny of denies) {
      if (grant.direction !== deny.direction || intersectPortLists(grant.ports, deny.ports).length === 0) continue;
      problems.push(`runs Windows Defender Firewall, where a block rule wins over every allow rule, so GuardrailAllow '${grant.flows[0]}' cannot take precedence over DenyFlow '${deny.guardrails[0]}' there. Narrow the DenyFlow so that it leaves out the granted traffic, or enforce this workload with nftables or iptables.`);
    }
  }
  return problems;
}

/** Creates the delivery resources and returns the one that carries the rule set's provenance. */
function deliver(scope: Construct, workload: Workload, settings: HostSettings, baseName: string, files: () => RuleSetFile[]): TerraformResource {
  const name = `microseg-host-${baseName}`;
  const script = () => deliveryScript(settings.flavor, files());
  switch (settings.delivery.kind) {
    case HostDeliveryKind.AWS_SSM: {
      const { SsmDocument, SsmAssociation } = ssmClasses();
      const windows = settings.flavor === HostFirewallFlavor.WINDOWS;
      const document = bulkResource(new SsmDocument(scope, 'Document', {
        name,
        documentType: 'Command',
        documentFormat: 'JSON',
        content: Lazy.stringValue({ produce: () => ssmDocumentContent(workload.node.path, windows, script()) }),
      }));
      const instanceId = workload.resource!.getStringAttribute('id');
      bulkResource(new SsmAssociation(scope, 'Association', {
        name: document.name,
        associationName: name,
        documentVersion: document.latestVersion,
        targets: [{ key: 'InstanceIds', values: [instanceId] }],
        // runs at once on create and on every document change, and again on schedule (drift, reboots)
        scheduleExpression: 'rate(30 minutes)',
      }));
      return document;
    }
    case HostDeliveryKind.AZURE_RUN_COMMAND: {
      const VirtualMachineRunCommand = runCommandClass();
      const vm = settings.delivery.virtualMachine!;
      return bulkResource(new VirtualMachineRunCommand(scope, 'RunCommand', {
        name,
        location: settings.delivery.location ?? '',
        virtualMachineId: vm.getStringAttribute('id'),
        source: { script: Lazy.stringValue({ produce: () => script() }) },
      }));
    }
    default: {
      // iptables files come with their loader: they alone fill chains that nothing jumps to
      const delivered = settings.flavor === HostFirewallFlavor.IPTABLES ? () => [...files(), iptablesLoaderFile(files(), baseName)] : files;
      const data = bulkResource(new RuleSetData(scope, 'RuleSet', {
        input: Lazy.anyValue({ produce: () => Object.fromEntries(delivered().map((file) => [file.name, file.content])) }) as any,
      }));
      new TerraformOutput(scope, 'Output', {
        staticId: true,
        value: data.output,
        description: `host firewall rule set of ${workload.node.path} (file name to content, addresses resolved)`,
      }).overrideLogicalId(name.replace(/-/g, '_'));
      writeFilesAtSynthesis(scope, delivered);
      return data;
    }
  }
}

/** The SSM Command document that writes and loads the rule set. */
function ssmDocumentContent(workload: string, windows: boolean, script: string): string {
  return JSON.stringify({
    schemaVersion: '2.2',
    description: `microseg host firewall of ${workload.replace(/[^A-Za-z0-9 _./:-]/g, '_')}`,
    mainSteps: [{
      action: windows ? 'aws:runPowerShellScript' : 'aws:runShellScript',
      name: 'applyHostFirewall',
      inputs: { runCommand: script.replace(/\n$/, '').split('\n') },
    }],
  }, undefined, 2);
}

/**
 * Writes the rule set files into the stack's output directory when the stack is synthesized
 * (`cdktf.out/stacks/<stack>/host-firewall/`), with Terraform expressions as written.
 */
function writeFilesAtSynthesis(scope: Construct, files: () => RuleSetFile[]): void {
  const { addCustomSynthesis, resolve } = cdktfInternals();
  addCustomSynthesis(scope, {
    onSynthesize: (session) => {
      const stack = TerraformStack.of(scope);
      const directory = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory, HOST_FIREWALL_DIRECTORY);
      fs.mkdirSync(directory, { recursive: true });
      for (const file of files()) fs.writeFileSync(path.join(directory, file.name), resolve(stack, file.content), { mode: file.name.endsWith('.sh') ? 0o755 : 0o644 });
    },
  });
}
