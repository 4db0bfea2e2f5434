import { AllowFlow, Peer, Port, Segment } from '../../lib';
import { awsStack, newApp } from '../helpers';

describe('the identity of flows declared through a segment', () => {
  test('GIVEN segment.allowFrom WHEN its ports are edited THEN the flow keeps its identity (its rules keep their addresses)', () => {
    // GIVEN the same flow declared with two different port lists
    const identityWith = (...ports: Port[]) => {
      const stack = awsStack(newApp(), 'shop');
      const web = new Segment(stack, 'Web');
      return web.allowFrom(Peer.ipv4('203.0.113.0/24'), ...ports).identity;
    };
    // THEN the identity is the same, and free of the ports
    expect(identityWith(Port.tcp(8080))).toBe(identityWith(Port.tcpRange(8080, 8090), Port.tcp(8443)));
    expect(identityWith(Port.tcp(8080))).not.toMatch(/8080/);
  });

  test('GIVEN two flows between the same ends THEN the first keeps the short identity and the second names its ports', () => {
    const stack = awsStack(newApp(), 'shop');
    const web = new Segment(stack, 'Web');
    const app = new Segment(stack, 'App');
    const first = app.allowFrom(web, Port.tcp(8080));
    const second = app.allowFrom(web, Port.tcp(9090));
    expect(first.identity).toBe('shop/App/AllowFrom-shop-Web');
    expect(second.identity).toBe('shop/App/AllowFrom-shop-Web-tcp-9090');
  });

  test('GIVEN the short identity taken by a flow built directly THEN a helper flow between the same ends names its ports', () => {
    const stack = awsStack(newApp(), 'shop');
    const web = new Segment(stack, 'Web');
    const app = new Segment(stack, 'App');
    new AllowFlow(app, 'Direct', { from: web, to: app, ports: [Port.tcp(8080)], stableId: 'shop/App/AllowFrom-shop-Web' });
    expect(app.allowFrom(web, Port.tcp(9090)).identity).toBe('shop/App/AllowFrom-shop-Web-tcp-9090');
  });

  test('GIVEN the flow holding the short identity removed from the tree THEN the next flow between the same ends takes it again', () => {
    const stack = awsStack(newApp(), 'shop');
    const web = new Segment(stack, 'Web');
    const app = new Segment(stack, 'App');
    const first = app.allowFrom(web, Port.tcp(8080));
    const second = app.allowFrom(web, Port.tcp(9090));
    app.node.tryRemoveChild(first.node.id);
    expect(second.identity).toBe('shop/App/AllowFrom-shop-Web-tcp-9090');
    // the removed flow no longer holds the short identity; the remaining one does not hold it either
    expect(app.allowFrom(web, Port.tcp(7070)).identity).toBe('shop/App/AllowFrom-shop-Web');
  });

  test('GIVEN a peer whose name has characters a stableId refuses THEN the derived identity is still valid', () => {
    const stack = awsStack(newApp(), 'shop');
    const web = new Segment(stack, 'Web');
    const flow = web.allowFrom(Peer.ipv6('2001:db8::/32'), Port.HTTPS);
    expect(flow.identity).toMatch(/^[A-Za-z0-9][A-Za-z0-9_./-]*$/);
    expect(flow.problems()).toEqual([]);
  });
});
