import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import '../../lib/verify/jest';
import { fixtureDir, loadFixture } from './fixtures';
import { buildCrossStackApp, CrossStackApp } from '../fixtures/cross-stack/app';

const awsFixture = fixtureDir('aws-sg');

describe('jest matchers on Terraform JSON', () => {
  test('toAllowFlow and toDenyFlow on a cdktf.out-style path', () => {
    expect(awsFixture).toAllowFlow('app/Web', 'app/Api', 'tcp/8080');
    expect(awsFixture).toDenyFlow('app/Web', 'app/Db', 'tcp/5432');
    expect(awsFixture).not.toAllowFlow('app/Web', 'app/Db', 'tcp/5432');
  });

  test('on parsed JSON and on a loaded model, with Peer-like and Port-like values', () => {
    const json = JSON.parse(fs.readFileSync(`${awsFixture}/cdk.tf.json`, 'utf8'));
    const anyIpv4 = { kind: 'ipv4', value: '0.0.0.0/0' };
    const https = { protocol: 'tcp', fromPort: 443, toPort: 443 };
    expect(json).toAllowFlow(anyIpv4, 'app/Web', https);
    expect({ app: json }).toDenyFlow(anyIpv4, 'app/Db', https);
    expect(loadFixture('aws-sg')).toAllowFlow('app/Api', { kind: 'aws-prefix-list', value: 'pl-0123abcd' }, https);
  });

  test('a range Port checks every port of the range', () => {
    expect(awsFixture).not.toAllowFlow('app/Web', 'app/Api', { protocol: 'tcp', fromPort: 8080, toPort: 8081 });
    expect(awsFixture).not.toDenyFlow('app/Web', 'app/Api', { protocol: 'tcp', fromPort: 8080, toPort: 8081 });
  });

  test('a failing toDenyFlow prints the verdict with the deciding rule addresses', () => {
    expect(() => expect(awsFixture).toDenyFlow('app/Web', 'app/Api', 'tcp/8080'))
      .toThrow(/expected app\/Web -> app\/Api on tcp\/8080 to be denied[\s\S]*aws_vpc_security_group_ingress_rule\.api_in_8080_web/);
  });

  test('a failing toAllowFlow explains why', () => {
    expect(() => expect(awsFixture).toAllowFlow('app/Web', 'app/Db', 'tcp/5432'))
      .toThrow(/to be allowed, but it is not:[\s\S]*DENIED: app\/Web -> app\/Db on tcp\/5432[\s\S]*no egress rule of aws_security_group\.web/);
  });

  test('a construct outside any cdktf app is an error', () => {
    const orphan = new Construct(undefined as unknown as Construct, 'orphan');
    expect(() => expect(orphan).toAllowFlow('a', 'b', 'tcp/1')).toThrow(/no app with a TerraformStack/);
  });

  test('an unknown endpoint is an error, not a verdict', () => {
    expect(() => expect(awsFixture).toDenyFlow('app/Nope', 'app/Db', 'tcp/5432')).toThrow(/unknown endpoint "app\/Nope"/);
  });
});

describe('jest matchers on a cdktf stack: every stack of its app is synthesized', () => {
  let fixture: CrossStackApp;
  beforeAll(() => {
    fixture = buildCrossStackApp(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-matchers-')));
  });

  test('constructs as endpoints: raw resources and construct paths of segments', () => {
    expect(fixture.compute).toAllowFlow(fixture.web, fixture.db, 'tcp/5432');
    expect(fixture.network).toDenyFlow(fixture.db, fixture.web, { protocol: 'tcp', fromPort: 5432, toPort: 5432 });
    const webSegment = new Construct(fixture.network, 'Web');
    const dbSegment = new Construct(fixture.network, 'Db');
    expect(fixture.network).toAllowFlow(webSegment, dbSegment, 'tcp/5432');
    expect(fixture.network).toDenyFlow(dbSegment, webSegment, 'tcp/5432');
  });

  test('the synthesized model follows constructs added later', () => {
    const extra = new TerraformStack(fixture.app, 'extra');
    expect(extra).toDenyFlow(fixture.web, fixture.db, 'tcp/6000');
  });
});
