import { IConstruct } from 'constructs';
import { CheckPack } from './check-pack';
import { ICheckRule } from './check-rule';
import { MsAdminOpen } from './rules/ms-admin-open';
import { MsAllTraffic } from './rules/ms-all-traffic';
import { MsDbOpen } from './rules/ms-db-open';
import { MsEgressOpen } from './rules/ms-egress-open';
import { MsFlowDenied } from './rules/ms-flow-denied';
import { MsFlowRedundant } from './rules/ms-flow-redundant';
import { MsSegmentUnused } from './rules/ms-segment-unused';
import { MsWorkloadUnsegmented } from './rules/ms-workload-unsegmented';

/**
 * The default pack of policy checks: MS-ADMIN-OPEN, MS-DB-OPEN (errors), MS-ALL-TRAFFIC,
 * MS-EGRESS-OPEN, MS-WORKLOAD-UNSEGMENTED, MS-SEGMENT-UNUSED, MS-FLOW-REDUNDANT and MS-FLOW-DENIED
 * (warnings).
 *
 * Add it to each stack: `Aspects.of(stack).add(new MicrosegChecks())`, or to every stack of an app
 * with `MicrosegChecks.applyTo(app)`. (cdktf does not invoke Aspects added to the App itself.)
 */
export class MicrosegChecks extends CheckPack {
  /** The rules of the default pack, for building your own pack on top of them. */
  public static readonly RULES: ICheckRule[] = [
    new MsAdminOpen(),
    new MsDbOpen(),
    new MsAllTraffic(),
    new MsEgressOpen(),
    new MsWorkloadUnsegmented(),
    new MsSegmentUnused(),
    new MsFlowRedundant(),
    new MsFlowDenied(),
  ];

  /**
   * Adds one default pack to every stack under `scope` (an App, usually). Call it after declaring
   * the stacks: stacks declared later are not covered.
   * @returns the pack that was added
   */
  public static applyTo(scope: IConstruct): MicrosegChecks {
    const pack = new MicrosegChecks();
    pack.addToEveryStack(scope);
    return pack;
  }

  /** The default pack. */
  public constructor() {
    super('microseg', MicrosegChecks.RULES);
  }
}
