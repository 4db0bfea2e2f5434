// Prints, for every change of issue 12 applied alone to the NSX estate (one stack and two stacks),
// the resources the apply destroys or replaces, the flows they served, the rules whose
// sequence_number moves and the resources created. Run: npx ts-node -P test/tsconfig.json test/change-safety/measure-nsx.ts
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHANGES, baseEstate, buildEstate, impactOf, synthEstate } from './nsx-estate';

for (const two of [false, true]) {
  for (const change of CHANGES) {
    if (change.twoStacksOnly && !two) continue;
    const base = baseEstate(two);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-alloc-')), 'microseg.allocations.json');
    const before = synthEstate(buildEstate(change.before ? change.before(base) : base, file));
    const after = synthEstate(buildEstate(change.after(base), file));
    const impact = impactOf(before, after);
    console.log(`## ${two ? 'two stacks' : 'single stack'}: ${change.name}`);
    for (const d of impact.disruptions) console.log(`  ${d.kind}${d.createBeforeDestroy ? ' (create_before_destroy)' : ''} ${d.address} flows=${d.flows.join(',')}`);
    for (const [a, [x, y]] of Object.entries(impact.movedSequences)) console.log(`  sequence_number ${a} ${x} -> ${y}`);
    console.log(`  created ${impact.created.length}: ${impact.created.join(' ')}`);
  }
}
