/* eslint-disable @typescript-eslint/no-require-imports -- each command's module (and what it imports) loads only when that command runs */
import { Command } from 'commander';
import type { CheckFlags } from './check-command';
import { CliIo } from './cli-io';
import type { DiffFlags } from './diff-command';
import type { MatrixFlags } from './matrix-command';
import { packageVersion } from './package-version';
import type { QueryFlags } from './query-command';
import type { ReportFlags } from './report-command';

/** Receives the exit code a command's action decided. */
export type ExitSink = (code: number) => void;

const DIR_ARGUMENT = 'cdktf.out directory, a stack directory or a cdk.tf.json file';
const EPHEMERAL = 'client ephemeral ports return traffic must reach through network ACLs (default: the range the AwsEnforcement declares, else 32768-60999)';
const VNET = 'extra address spaces of the Azure VirtualNetwork tag (peered VNets, on-premises)';

/** Builds the `microseg` command line: `query`, `matrix`, `diff`, `report` and `check`, writing to `io`, never exiting the process. */
export function buildProgram(io: CliIo, setExitCode: ExitSink): Command {
  const program = new Command('microseg')
    .description('Reachability of microsegmentation policy in synthesized CDK for Terraform output (cdktf.out).')
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(`microseg: ${withHint(text.replace(/^error:\s*/i, '').trim())}\n`),
    })
    .version(packageVersion(), '-V, --version', 'print the version of cdktf-microseg')
    .exitOverride()
    .showSuggestionAfterError();

  program.command('query')
    .description('Is a flow allowed? A verdict line first; every enforcement point and deciding rule with --explain. Exit 0 allowed, 1 denied, 2 bad input.')
    .argument('<dir>', DIR_ARGUMENT)
    .requiredOption('--from <endpoint>', 'source: workload or segment construct path, Terraform address, CIDR, IP, pl-<id>, tag:<ServiceTag>')
    .requiredOption('--to <endpoint>', 'destination, same forms as --from')
    .requiredOption('--port <port>', 'tcp/5432, tcp/8000-8100, udp/53, sctp/38412, icmp/8 or all')
    .option('--explain', 'print every enforcement point with its reason and deciding rules')
    .option('--json', 'print the verdict as JSON')
    .option('--ephemeral-ports <range>', EPHEMERAL)
    .option('--vnet <cidr...>', VNET)
    .action((dir: string, flags: QueryFlags) => setExitCode((require('./query-command') as typeof import('./query-command')).runQuery(dir, flags, io)));

  program.command('matrix')
    .description('Segment-to-segment matrix of allowed ports, with the external peers rules name, fitted to the terminal (full names with --json).')
    .argument('<dir>', DIR_ARGUMENT)
    .option('--stack <name...>', 'only segments of these stacks')
    .option('--segment <pattern...>', 'only these segments (exact names or * patterns such as shop/*)')
    .option('--from <pattern...>', 'only these sources')
    .option('--to <pattern...>', 'only these destinations')
    .option('--platform <name...>', 'only segments on these platforms (aws, azure, nsx, kubernetes, gcp)')
    .option('--json', 'print the matrix as JSON')
    .option('--ephemeral-ports <range>', EPHEMERAL)
    .option('--vnet <cidr...>', VNET)
    .action((dir: string, flags: MatrixFlags) => setExitCode((require('./matrix-command') as typeof import('./matrix-command')).runMatrix(dir, flags, io)));

  program.command('diff')
    .description('What a change opens and closes: every source, destination and port that becomes allowed or denied, at segment and workload level, with the responsible flows and rules, and the traffic that drops while the change applies. Exit 0 when none, 1 otherwise, 2 bad input.')
    .argument('<before>', `the base version: ${DIR_ARGUMENT}`)
    .argument('<after>', 'the changed version, same forms')
    .option('--format <format>', 'text or markdown (a pull-request comment)', 'text')
    .option('--json', 'print the changes as JSON')
    .option('--ephemeral-ports <range>', EPHEMERAL)
    .option('--vnet <cidr...>', VNET)
    .action((before: string, after: string, flags: DiffFlags) => setExitCode((require('./diff-command') as typeof import('./diff-command')).runDiff(before, after, flags, io)));

  program.command('report')
    .description('Writes report.md (summary), flows.mmd (Mermaid flow diagram) and matrix.html (self-contained matrix with filters and explanations) into --out.')
    .argument('<dir>', DIR_ARGUMENT)
    .requiredOption('--out <dir>', 'directory to write the report into')
    .option('--ephemeral-ports <range>', EPHEMERAL)
    .option('--vnet <cidr...>', VNET)
    .action((dir: string, flags: ReportFlags) => setExitCode((require('./report-command') as typeof import('./report-command')).runReport(dir, flags, io)));

  program.command('check')
    .description('The policy-check findings synthesis recorded in cdktf.out/manifest.json, as text or SARIF 2.1.0. Exit 1 when an error finding is not suppressed.')
    .argument('<dir>', 'the cdktf.out directory')
    .option('--sarif', 'print SARIF 2.1.0 (for code-scanning tools)')
    .option('--output <file>', 'write to this file instead of standard output')
    .action((dir: string, flags: CheckFlags) => setExitCode((require('./check-command') as typeof import('./check-command')).runCheck(dir, flags, io)));

  return program;
}

/**
 * An error message with the likely cause of a missing directory: an option that takes several
 * values (`--vnet`, `--stack`, `--segment`, `--from`, `--to`, `--platform`) takes every word after
 * it, the directories included, when it comes before them.
 */
function withHint(message: string): string {
  if (!/^missing required argument '(dir|before|after)'/.test(message)) return message;
  return `${message} (an option that takes several values, such as --vnet or --stack, takes every word after it: put such options after the directories, or end their values with --)`;
}

