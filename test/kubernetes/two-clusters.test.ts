import { AllowFlow, DenyFlow, Port } from '../../lib';
import '../../lib/verify/jest';
import { newApp, synthApp } from '../helpers';
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
