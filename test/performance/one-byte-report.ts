import { App, TerraformResource, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { isOneByte } from './one-byte';
import { SMALL_ESTATES, SmallEstate } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';
import { DenyFlow, Segment, Workload } from '../../lib';
import { AllowFlow } from '../../lib/flow';
import { Layout, PlatformName, baseEstate, buildEstate } from '../change-safety/estates';

/** A construct id that idFromKey made: a readable part and a digest. */
const DIGEST_ID = /-[0-9a-f]{8}$/;

/** What one app was made of: how many strings of each kind, and those that are two-byte. */
export interface OneByteReport {
  readonly identities: number;
  readonly twoByteIdentities: string[];
  /** Resources whose construct id idFromKey made. */
  readonly namedResources: number;
  readonly twoByteIds: string[];
  /** Resources whose logical id was looked at (see {@link appNamed}). */
  readonly checkedResources: number;
  /** Construct paths of the resources among them whose logical id is two-byte. */
  readonly twoByteLogicalIds: string[];
}

/** An app to synthesize and the resources whose logical ids are looked at. */
interface ReportedApp {
  readonly build: (app: App) => void;
  readonly checked: (resource: TerraformResource) => boolean;
}

/** The name of a change-safety estate: `change-safety/<platform>/<layout>`. */
const CHANGE_SAFETY = /^change-safety\/([a-z]+)\/(single|multi)$/;

/**
 * A bench estate by its name, at its small size (`SMALL_ESTATES`): the logical ids of the resources
 * the library placed are looked at, every resource below something other than the stack (the
 * estate's own instances, NICs and VMs sit right under it, with ids made by the estate's code). Or a
 * change-safety estate (`change-safety/nsx/multi`): every resource's logical id is looked at, the
 * estate's own resources having literal ids.
 */
function appNamed(name: string): ReportedApp {
  const changeSafety = CHANGE_SAFETY.exec(name);
  if (changeSafety) {
    const spec = baseEstate(changeSafety[1] as PlatformName, changeSafety[2] as Layout);
    return { build: (app) => buildEstate(spec, app), checked: () => true };
  }
  return { build: benchEstate(name, SMALL_ESTATES[name as SmallEstate]), checked: (resource) => !TerraformStack.isStack(resource.node.scope) };
}

/**
 * Synthesizes each app named on the command line (see {@link appNamed}) and prints, as JSON, which
 * intent identities, library-given resource ids and cdktf logical ids are two-byte strings.
 * It runs in a process of its own: V8 keeps one string table per process, and a test that ran
 * before in the same process may have filed a two-byte copy of a literal such as `estate`.
 */
function main(names: string[]): void {
  // cdktf formats the whole stack of every token it makes; ts-node's source-map formatter would map
  // each frame (a third of this process's time). An error here still prints its stack, with the
  // positions of the transpiled code.
  delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  const reports: Record<string, OneByteReport> = {};
  for (const name of names) {
    const { build, checked } = appNamed(name);
    reports[name] = synthesizeApp(build, (app) => {
      const all: IConstruct[] = app.node.findAll();
      const isIntent = (c: IConstruct) => c instanceof Segment || c instanceof Workload || c instanceof AllowFlow || c instanceof DenyFlow;
      const intents = all.filter(isIntent) as Array<{ identity: string } & IConstruct>;
      const resources = all.filter((c): c is TerraformResource => c instanceof TerraformResource);
      const named = resources.filter((r) => DIGEST_ID.test(r.node.id));
      const looked = resources.filter(checked);
      return {
        identities: intents.length,
        twoByteIdentities: intents.map((c) => c.identity).filter((text) => !isOneByte(text)),
        namedResources: named.length,
        twoByteIds: named.map((r) => r.node.id).filter((text) => !isOneByte(text)),
        checkedResources: looked.length,
        twoByteLogicalIds: looked.filter((r) => !isOneByte(r.friendlyUniqueId)).map((r) => r.node.path),
      };
    });
  }
  process.stdout.write(JSON.stringify(reports));
}

main(process.argv.slice(2));
