import { Command } from 'commander';
import { CliIo } from './cli-io';
import { MatrixFlags, runMatrix } from './matrix-command';
import { QueryFlags, runQuery } from './query-command';

/** Receives the exit code a command's action decided. */
export type ExitSink = (code: number) => void;

/** Builds the `microseg` command line: `query` and `matrix`, writing to `io`, never exiting the process. */
export function buildProgram(io: CliIo, setExitCode: ExitSink): Command {
  const program = new Command('microseg')
    .description('Reachability of microsegmentation policy in synthesized CDK for Terraform output (cdktf.out).')
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(`microseg: ${text.replace(/^error:\s*/i, '').trim()}\n`),
    })
    .exitOverride()
    .showSuggestionAfterError();

  program.command('query')
    .description('Is a flow allowed? Prints the verdict of every enforcement point and the deciding rules. Exit 0 allowed, 1 denied, 2 bad input.')
    .argument('<dir>', 'cdktf.out directory, a stack directory or a cdk.tf.json file')
    .requiredOption('--from <endpoint>', 'source: workload or segment construct path, Terraform address, CIDR, IP, pl-<id>, tag:<ServiceTag>')
    .requiredOption('--to <endpoint>', 'destination, same forms as --from')
    .requiredOption('--port <port>', 'tcp/5432, tcp/8000-8100, udp/53, icmp/8 or all')
    .option('--json', 'print the verdict as JSON')
    .option('--ephemeral-ports <range>', 'client ephemeral ports return traffic must reach through network ACLs', '32768-60999')
    .option('--vnet <cidr...>', 'extra address spaces of the Azure VirtualNetwork tag (peered VNets, on-premises)')
    .action((dir: string, flags: QueryFlags) => setExitCode(runQuery(dir, flags, io)));

  program.command('matrix')
    .description('Segment-to-segment matrix of allowed ports, with the external peers rules name.')
    .argument('<dir>', 'cdktf.out directory, a stack directory or a cdk.tf.json file')
    .option('--json', 'print the matrix as JSON')
    .option('--ephemeral-ports <range>', 'client ephemeral ports return traffic must reach through network ACLs', '32768-60999')
    .option('--vnet <cidr...>', 'extra address spaces of the Azure VirtualNetwork tag')
    .action((dir: string, flags: MatrixFlags) => setExitCode(runMatrix(dir, flags, io)));

  return program;
}
