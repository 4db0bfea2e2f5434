import { TerraformStack } from 'cdktf';
import { Node } from 'constructs';
import { Peer, Port, Segment } from '../../lib';
import { newApp } from '../helpers';

/**
 * `node.path` joins the id of every scope on each read. Declaring a flow reads it only to word an
 * error, so a valid declaration reads none; a check that worded its message up front read two
 * paths per flow (the helper's and the flow's).
 */
describe('declaring flows', () => {
  test('reads no construct path when the arguments are valid', () => {
    // GIVEN two segments
    const stack = new TerraformStack(newApp(), 'estate');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    const pathGetter = Object.getOwnPropertyDescriptor(Node.prototype, 'path')!.get!;
    let reads = 0;
    const spy = jest.spyOn(Node.prototype, 'path', 'get').mockImplementation(function (this: Node) {
      reads++;
      return pathGetter.call(this);
    });
    try {
      // WHEN flows are declared through the helpers
      db.allowFrom(web, Port.tcp(5432));
      db.allowFromWith(Peer.ipv4('10.0.0.0/8'), { ports: [Port.tcp(5432)], description: 'admin' });
      web.allowTo(db, Port.tcp(6432));
      web.allowInternally(Port.tcp(8080));
    } finally {
      spy.mockRestore();
    }
    // THEN no path was joined
    expect(reads).toBe(0);
  });

  test('still names the flow when an argument is missing', () => {
    const stack = new TerraformStack(newApp(), 'estate');
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    expect(() => db.allowFrom(undefined as any, Port.tcp(5432))).toThrow("'estate/Db'.allowFrom: the source is undefined.");
  });
});
