import { peakRssMiB } from './peak-memory';
import { main } from '../lib/cli/main';

// `microseg query` as the command runs it (argv: the query's arguments), for timing one query
// including start-up and loading the synthesized JSON; the verdict goes to stdout, then one JSON
// line with the CPU time (user + system) of the whole process, start-up included, and its peak RSS.
main(process.argv.slice(2)).then((code) => {
  const used = process.cpuUsage();
  process.stdout.write(JSON.stringify({ cpuSeconds: (used.user + used.system) / 1e6, peakRssMiB: peakRssMiB() }) + '\n');
  process.exitCode = code === 2 ? 2 : 0;
}, (error) => {
  console.error(error);
  process.exitCode = 2;
});
