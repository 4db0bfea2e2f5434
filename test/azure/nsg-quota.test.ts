import { AZURE_NSG_LIMITS, nsgQuotaFindings } from '../../lib/azure/nsg-quota';

describe('nsgQuotaFindings', () => {
  const rule = (name: string, sourceAsgs: string[], destinationAsgs: string[] = []) => ({ name, sourceAsgs, destinationAsgs });

  test('no finding within the limits', () => {
    expect(nsgQuotaFindings([rule('a', ['x'], ['y'])], AZURE_NSG_LIMITS)).toEqual([]);
  });

  test('more than 10 ASGs on one side of a rule', () => {
    const asgs = Array.from({ length: 11 }, (_, i) => `asg${i}`);
    expect(nsgQuotaFindings([rule('wide', ['a'], asgs)], AZURE_NSG_LIMITS)).toEqual([
      { quota: 'asgs-per-rule-side', rule: 'wide', side: 'destination', count: 11, limit: 10 },
    ]);
  });

  test('more than 100 ASGs across the rules of one NSG, and too many rules', () => {
    const rules = Array.from({ length: 101 }, (_, i) => rule(`r${i}`, [`asg${i}`]));
    const findings = nsgQuotaFindings(rules, { ...AZURE_NSG_LIMITS, rulesPerNsg: 100 });
    expect(findings.map((f) => f.quota)).toEqual(['rules-per-nsg', 'asgs-per-nsg']);
    expect(findings[1]).toMatchObject({ count: 101, limit: 100 });
  });
});
