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
});
