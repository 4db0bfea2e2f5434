import { Lazy, Tokenization } from 'cdktf';

// GIVEN the test environment of this project (test/setup/node-environment.ts)

describe('stack traces in the test environment', () => {
  test('WHEN a test makes an Error THEN its stack points at the TypeScript source, line and column', () => {
    const error: Error = new Error('probe');
    // the column of `new Error` in the TypeScript line (the compiled line has no type annotation)
    const column = '    const error: Error = new Error'.length - 'new Error'.length + 1;
    expect(error.stack).toContain(`node-environment.test.ts:7:${column}`);
  });

  test('WHEN cdktf makes a token THEN it still records where the token was made (in the compiled file)', () => {
    const token = Lazy.stringValue({ produce: () => 'value' });
    const creationStack = Tokenization.reverseString(token).firstToken?.creationStack ?? [];
    expect(creationStack[0]).toMatch(/^new LazyBase \(.*cdktf\/lib\/tokens\/lazy\.js:\d+:\d+\)$/);
    expect(creationStack.some((frame) => /^Object\.<anonymous> \(.*node-environment\.test\.ts:\d+:\d+\)$/.test(frame))).toBe(true);
  });

  test('WHEN cdktf makes a token deep in a call chain THEN it keeps the 16 innermost frames, an Error every frame', () => {
    const deep = <T>(depth: number, make: () => T): T => (depth === 0 ? make() : deep(depth - 1, make));
    const token = deep(40, () => Lazy.stringValue({ produce: () => 'value' }));
    const creationStack = Tokenization.reverseString(token).firstToken?.creationStack ?? [];
    expect(creationStack).toHaveLength(16);
    expect(creationStack[0]).toMatch(/^new LazyBase /);
    const error = deep(40, () => new Error('probe'));
    expect(error.stack!.split('\n').filter((line) => line.includes('node-environment.test.ts')).length).toBeGreaterThan(40);
  });
});
