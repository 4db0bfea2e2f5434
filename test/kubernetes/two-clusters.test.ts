import { AllowFlow, DenyFlow, Peer, Port, Workload } from '../../lib';
import '../../lib/verify/jest';
import { errorOf, newApp, synthApp } from '../helpers';
import { kubeEstate, podWorkload } from './k8s-fixtures';

// A ClusterNetworkPolicy's namespace and pod selectors select pods of its own cluster only: pods of
// another cluster reach its pods by address (the ipBlock of their pod CIDRs), whatever their labels.

test('GIVEN pods of the same namespace and labels in two clusters WHEN cluster B denies its own Batch pods THEN cluster A\'s Batch pods still reach Db', () => {
  // GIVEN
  const app = newApp();
  const a = kubeEstate(app, 'ka');
  const b = kubeEstate(app, 'kb', { clusterName: 'other', podCidrs: ['10.245.0.0/16'] });
  const batchA = podWorkload(a, 'jobs', 'batch');
  const batchB = podWorkload(b, 'jobs', 'batch');
  const db = podWorkload(b, 'data', 'db');
  new AllowFlow(b, 'BatchAToDb', { from: batchA, to: db, ports: [Port.POSTGRES] });
  // WHEN
  new DenyFlow(b, 'NoLocalBatch', { from: batchB, to: db });
  // THEN
  synthApp(app);
  expect(app).toAllowFlow(batchA, db, Port.POSTGRES);
  expect(app).toDenyFlow(batchB, db, Port.POSTGRES);
});

describe('rules that name another cluster\'s pods by their pod CIDR', () => {
  /** Web pods of cluster prod (10.244.0.0/16) allowed to Batch pods of cluster stage (10.245.0.0/16), and a host Legacy inside prod's pod CIDR. */
  function estate() {
    const app = newApp();
    const web = podWorkload(kubeEstate(app, 'k'), 'shop', 'web');
    const stage = kubeEstate(app, 'k2', { clusterName: 'stage', podCidrs: ['10.245.0.0/16'] });
    const batch = podWorkload(stage, 'jobs', 'batch');
    const legacy = new Workload(stage, 'Legacy', { addresses: ['10.244.9.9'] });
    new AllowFlow(stage, 'WebBatch', { from: web, to: batch, ports: [Port.SSH] });
    return { app, stage, web, batch, legacy };
  }

  test('GIVEN Batch admits the prod pod CIDR WHEN a DenyFlow forbids a host inside it THEN synthesis fails: ClusterNetworkPolicy cannot deny an address at ingress', () => {
    const e = estate();
    expect(e.app).toAllowFlow(e.legacy, e.batch, Port.SSH); // the ipBlock admits the whole range
    new DenyFlow(e.stage, 'NoLegacy', { from: e.legacy, to: e.batch, ports: [Port.SSH] });
    expect(errorOf(() => synthApp(e.app))).toContain("DenyFlow 'k2/NoLegacy' is overridden by AllowFlow 'k2/WebBatch', which allows tcp/22 from workload 'k2/Legacy' to workload 'k2/BatchPods' at workload 'k2/BatchPods': ClusterNetworkPolicy cannot deny traffic from addresses at ingress");
  });

  test('the same for a DenyFlow from a CIDR inside the prod pod CIDR', () => {
    const e = estate();
    new DenyFlow(e.stage, 'NoRange', { from: Peer.ipv4('10.244.9.0/24'), to: e.batch, ports: [Port.SSH] });
    expect(errorOf(() => synthApp(e.app))).toContain("DenyFlow 'k2/NoRange' is overridden by AllowFlow 'k2/WebBatch'");
  });
});
