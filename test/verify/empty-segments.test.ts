import { App } from 'cdktf';
import { AllowFlow, Port, Segment } from '../../lib';
import { changeImpact } from '../../lib/verify/diff/change-impact';
import { loadTerraform } from '../../lib/verify/model/load-terraform';
import { segmentMatrix } from '../../lib/verify/segment-matrix';
import { newApp, synthApp } from '../helpers';
import { kubeEstate, podWorkload } from '../kubernetes/k8s-fixtures';

// A segment without members is part of a valid program (a tier not deployed yet, or emptied by a
// change): the matrix and the change impact read it as reaching nothing, never as an input error.

/** A cluster with pods Web (tier web) and, when `withDb`, Db (tier db); segments Web and Db, Web -> Db on 5432. */
function cluster(withDb: boolean): App {
  const app = newApp();
  const stack = kubeEstate(app, 'shop');
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
  podWorkload(stack, 'shop', 'web');
  if (withDb) podWorkload(stack, 'shop', 'db');
  new AllowFlow(stack, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
  synthApp(app);
  return app;
}

describe('a Kubernetes segment without members', () => {
  test('the segment matrix leaves it out instead of failing', () => {
    const matrix = segmentMatrix(loadTerraform(cluster(false).outdir));
    expect(matrix.rows).toEqual(['shop/Web']);
    expect(matrix.columns).toEqual(['shop/Web']);
  });

  test('the change impact of removing its last member lists the Db pods\' policy as destroyed, and no traffic between members as interrupted', () => {
    const impact = changeImpact(loadTerraform(cluster(true).outdir), loadTerraform(cluster(false).outdir));
    expect(impact.interrupted).toEqual([]);
    const destroyed = impact.stacks.flatMap((stack) => stack.destroyed);
    expect(destroyed.filter((change) => change.type === 'kubernetes_network_policy_v1').map((change) => [change.address, change.flows]))
      .toEqual([[expect.stringMatching(/^kubernetes_network_policy_v1\.Cluster_Pods-shop-DbPods-/), ['shop/WebToDb']]]);
  });
});
