import { main } from '../lib/cli/main';

// `microseg query` as the command runs it (argv: the query's arguments), for timing one query
// including start-up and loading the synthesized JSON; the verdict goes to stdout.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code === 2 ? 2 : 0;
}, (error) => {
  console.error(error);
  process.exitCode = 2;
});
