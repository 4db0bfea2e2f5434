import { TerraformResource } from 'cdktf';
import { IConstruct } from 'constructs';
import { isOneByte } from './one-byte';
import { SMALL_ESTATES, SmallEstate } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';
import { DenyFlow, Segment, Workload } from '../../lib';
import { AllowFlow } from '../../lib/flow';

/** A construct id that idFromKey made: a readable part and a digest. */
const DIGEST_ID = /-[0-9a-f]{8}$/;

/** What one estate was made of: how many strings of each kind, and those that are two-byte. */
export interface OneByteReport {
  readonly identities: number;
  readonly twoByteIdentities: string[];
  readonly namedResources: number;
  readonly twoByteIds: string[];
  readonly twoByteLogicalIds: string[];
}

/**
 * Synthesizes the small version (`SMALL_ESTATES`) of each estate named on the command line and
 * prints, as JSON, which intent identities, library-given resource ids and their cdktf logical ids
 * are two-byte strings.
 * It runs in a process of its own: V8 keeps one string table per process, and a test that ran
 * before in the same process may have filed a two-byte copy of a literal such as `estate`.
 */
function main(estates: SmallEstate[]): void {
  // cdktf formats the whole stack of every token it makes; ts-node's source-map formatter would map
  // each frame (a third of this process's time). An error here still prints its stack, with the
  // positions of the transpiled code.
  delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  const reports: Record<string, OneByteReport> = {};
  for (const estate of estates) {
    reports[estate] = synthesizeApp(benchEstate(estate, SMALL_ESTATES[estate]), (app) => {
      const all: IConstruct[] = app.node.findAll();
      const isIntent = (c: IConstruct) => c instanceof Segment || c instanceof Workload || c instanceof AllowFlow || c instanceof DenyFlow;
      const intents = all.filter(isIntent) as Array<{ identity: string } & IConstruct>;
      const named = all.filter((c): c is TerraformResource => c instanceof TerraformResource && DIGEST_ID.test(c.node.id));
      return {
        identities: intents.length,
        twoByteIdentities: intents.map((c) => c.identity).filter((text) => !isOneByte(text)),
        namedResources: named.length,
        twoByteIds: named.map((r) => r.node.id).filter((text) => !isOneByte(text)),
        twoByteLogicalIds: named.map((r) => r.friendlyUniqueId).filter((text) => !isOneByte(text)),
      };
    });
  }
  process.stdout.write(JSON.stringify(reports));
}

main(process.argv.slice(2) as SmallEstate[]);
