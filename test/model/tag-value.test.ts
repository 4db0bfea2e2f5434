import { TAG_VALUE_MAX_BYTES, tagValue } from '../../lib/private/tag-value';

describe('a tag value the clouds accept', () => {
  test('a value that fits is itself', () => {
    expect(tagValue('shop/Web')).toBe('shop/Web');
    expect(tagValue('x'.repeat(256))).toBe('x'.repeat(256));
  });

  test('a longer value is its start, then ~ and a digest of the whole, 256 bytes at most', () => {
    const long = `shop/${'Payments'.repeat(40)}`;
    const value = tagValue(long);
    expect(Buffer.byteLength(value)).toBe(TAG_VALUE_MAX_BYTES);
    expect(value).toMatch(/^shop\/PaymentsPayments.*~[0-9a-f]{8}$/);
    expect(long.startsWith(value.slice(0, -9))).toBe(true);
    // two values that start alike stay apart
    expect(tagValue(`${long}A`)).not.toBe(tagValue(`${long}B`));
  });

  test('multi-byte characters count as their UTF-8 bytes and are never cut in half', () => {
    const value = tagValue('é'.repeat(200)); // 400 bytes
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(TAG_VALUE_MAX_BYTES);
    expect(value).toMatch(/^(é)+~[0-9a-f]{8}$/);
    expect(tagValue('😀'.repeat(70))).toMatch(/^(😀)+~[0-9a-f]{8}$/);
  });
});
