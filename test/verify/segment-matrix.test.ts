import { loadFixture } from './fixtures';
import { evaluate } from '../../lib/verify/evaluate';
import { formatMatrix } from '../../lib/verify/format-matrix';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { segmentMatrix } from '../../lib/verify/segment-matrix';

function cellOf(matrix: ReturnType<typeof segmentMatrix>, from: string, to: string) {
  return matrix.cells.find((cell) => cell.from === from && cell.to === to);
}

describe('segmentMatrix', () => {
  test('cells list exactly the allowed ports between segments, and external peers rules name', () => {
    const matrix = segmentMatrix(loadFixture('aws-sg'));
    expect(matrix.rows).toEqual(['app/Admins', 'app/Api', 'app/Db', 'app/Web', '0.0.0.0/0', 'pl-0123abcd']);
    expect(matrix.columns).toEqual(['app/Admins', 'app/Api', 'app/Db', 'app/Web', 'pl-0123abcd']);
    expect(cellOf(matrix, 'app/Api', 'app/Db')).toEqual({ from: 'app/Api', to: 'app/Db', allowed: ['tcp/5432', 'icmp/8'], enforced: true });
    expect(cellOf(matrix, 'app/Db', 'app/Api')!.allowed).toEqual([]);
    expect(cellOf(matrix, '0.0.0.0/0', 'app/Web')!.allowed).toEqual(['tcp/443']);
    expect(cellOf(matrix, 'app/Admins', 'app/Admins')).toMatchObject({ enforced: false });
  });

  test('every cell agrees with a single-port evaluation', () => {
    const model = loadFixture('azure-nsg');
    const matrix = segmentMatrix(model);
    expect(cellOf(matrix, 'az/Web', 'az/Db')!.allowed).toEqual(['tcp/5432']);
    expect(evaluate(model, { from: 'az/Web', to: 'az/Db', port: 'tcp/5432' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'az/Web', to: 'az/Db', port: 'tcp/5431' }).denied).toBe(true);
    expect(cellOf(matrix, 'az/Web', 'az/Web')!.allowed).toEqual(['tcp/8000-8100']);
  });

  test('without an inventory the group resources are the segments', () => {
    const matrix = segmentMatrix(loadFixture('nsx-dfw'));
    expect(matrix.rows).toEqual(['dc/Db', 'dc/Web']);
    const bare = JSON.parse(JSON.stringify(loadFixture('nsx-dfw').stacks[0].json));
    delete bare['//'].microseg;
    const groups = segmentMatrix(loadTerraformStacks({ dc: bare }));
    expect(groups.rows).toEqual(['dc/Blocked', 'dc/Db/Group', 'dc/ShopGroup', 'dc/Web/Group']);
    // the hypothetical members carry the app|shop tag all real members share, so the shop policy's
    // closing DROP applies and only the declared port passes
    expect(cellOf(groups, 'dc/Web/Group', 'dc/Db/Group')!.allowed).toEqual(['tcp/5432']);
  });

  test('the text table aligns columns and marks empty and unenforced cells', () => {
    const text = formatMatrix({
      rows: ['a', 'bb'],
      columns: ['a', 'bb'],
      cells: [
        { from: 'a', to: 'a', allowed: [], enforced: true },
        { from: 'a', to: 'bb', allowed: ['tcp/443', 'tcp/8080'], enforced: true },
        { from: 'bb', to: 'a', allowed: ['all'], enforced: false },
        { from: 'bb', to: 'bb', allowed: ['all'], enforced: true },
      ],
      endpoints: ['a', 'bb'].map((name) => ({ name, kind: 'segment' as const, platforms: ['aws'], stacks: ['s'] })),
    });
    expect(text.split('\n')).toEqual([
      'from \\ to  a           bb',
      'a          -           tcp/443,tcp/8080',
      'bb         unenforced  all',
    ]);
  });
});
