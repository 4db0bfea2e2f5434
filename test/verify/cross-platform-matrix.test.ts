import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Port, Segment, Workload, AwsBinding, AzureBinding } from '../../lib';
import '../../lib/verify/jest';
import { evaluate } from '../../lib/verify/evaluate';
import { segmentMatrix } from '../../lib/verify/segment-matrix';
import { synthesizeApp } from '../../lib/verify/synthesize-app';
import { awsAndAzureStacks } from '../azure/azure-fixtures';
import { instance, newApp } from '../helpers';

/**
 * An AWS segment Web and an Azure segment Db; Db allows Postgres from Web (a cross-platform flow,
 * declared in the Azure stack), or (`azureToAws`) Web allows tcp/9000 from Db (declared in the AWS stack).
 */
function crossPlatformApp(azureToAws = false) {
  const app = newApp();
  const { aws, az } = awsAndAzureStacks(app);
  const web = new Segment(aws, 'Web', { selector: { app: 'x', tier: 'web' } });
  const db = new Segment(az.stack, 'Db', { selector: { app: 'x', tier: 'db' } });
  if (azureToAws) {
    new AzurermProvider(aws, 'azurerm', { features: [{}] });
    web.allowFrom(db, Port.tcp(9000));
  } else {
    db.allowFrom(web, Port.POSTGRES);
  }
  const i = instance(aws, 'web-vm', { privateIp: '10.0.1.10' });
  new Workload(aws, 'web', { binding: AwsBinding.instance(i), labels: { app: 'x', tier: 'web' }, addresses: ['10.0.1.10'] });
  const j = instance(aws, 'web2-vm', { privateIp: '10.0.1.11' });
  new Workload(aws, 'web2', { binding: AwsBinding.instance(j), labels: { app: 'x', tier: 'web' }, addresses: ['10.0.1.11'] });
  new Workload(az.stack, 'db', { binding: AzureBinding.networkInterface(az.nic('db-nic', '10.1.1.20')), labels: { app: 'x', tier: 'db' }, addresses: ['10.1.1.20'] });
  return { app, aws, az, web, db };
}

describe('a cross-platform flow at segment level (issue 11, item 12)', () => {
  test('GIVEN Azure Db allows Postgres from AWS Web WHEN asking segment to segment THEN it is allowed, as workload to workload', () => {
    const { aws, web, db } = crossPlatformApp();
    const model = synthesizeApp(aws);
    expect(evaluate(model, { from: 'aws/web', to: 'azure/db', port: 'tcp/5432' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'aws/Web', to: 'azure/Db', port: 'tcp/5432' }).allowed).toBe(true);
    expect(aws).toAllowFlow(web, db, Port.POSTGRES);
    expect(aws).toDenyFlow(web, db, Port.SSH);
    expect(aws).toDenyFlow(db, web, Port.POSTGRES);
  });

  test('GIVEN AWS Web allows tcp/9000 from Azure Db WHEN asking toAllowFlow(azureSegment, awsSegment) THEN allowed, as for the workloads', () => {
    const { aws, web, db } = crossPlatformApp(true);
    const model = synthesizeApp(aws);
    expect(evaluate(model, { from: 'azure/db', to: 'aws/web', port: 'tcp/9000' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'azure/Db', to: 'aws/Web', port: 'tcp/9000' }).allowed).toBe(true);
    expect(aws).toAllowFlow(db, web, Port.tcp(9000));
    expect(aws).toDenyFlow(db, web, Port.tcp(9001));
  });

  test('THEN the matrix shows the cross-platform cell with exactly its ports, in either direction', () => {
    const { aws } = crossPlatformApp();
    const matrix = segmentMatrix(synthesizeApp(aws));
    const cell = (from: string, to: string) => matrix.cells.find((c) => c.from === from && c.to === to);
    expect(cell('aws/Web', 'azure/Db')).toEqual({ from: 'aws/Web', to: 'azure/Db', allowed: ['tcp/5432'], enforced: true });
    expect(cell('azure/Db', 'aws/Web')?.allowed).toEqual([]);
    const reverse = segmentMatrix(synthesizeApp(crossPlatformApp(true).aws));
    expect(reverse.cells.find((c) => c.from === 'azure/Db' && c.to === 'aws/Web')?.allowed).toEqual(['tcp/9000']);
    expect(reverse.cells.find((c) => c.from === 'aws/Web' && c.to === 'azure/Db')?.allowed).toEqual([]);
  });
});
