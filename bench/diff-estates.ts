import * as fs from 'fs';
import { App } from 'cdktf';
import { Port, Segment } from '../lib';
import { buildAwsSecurityGroupsEstate } from './estates/aws-security-groups';

// Synthesizes the benchmark estate twice, the second time with one more flow (Seg1 -> Seg2 on
// tcp/4999, a port the generator never uses), for timing `microseg diff` (argv[2]: output root).
function synthEstate(outdir: string, addFlow: boolean): void {
  const app = new App({ outdir, stackTraces: false });
  const stack = buildAwsSecurityGroupsEstate(app);
  if (addFlow) {
    const segment = (id: string) => stack.node.findChild(id) as Segment;
    segment('Seg2').allowFrom(segment('Seg1'), Port.tcp(4999));
  }
  app.synth();
}

const root = process.argv[2] ?? 'bench-diff.out';
fs.mkdirSync(root, { recursive: true });
synthEstate(`${root}/before`, false);
synthEstate(`${root}/after`, true);
console.log(`synthesized ${root}/before and ${root}/after`);
