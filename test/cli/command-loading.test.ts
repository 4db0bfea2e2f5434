import { fixtureDir } from '../verify/fixtures';

// Start-up of `microseg`: a command loads its own module and what it imports, never the other
// commands' (`check` alone pulls in the whole construct library through the policy checks).

const mockLoaded: string[] = [];
jest.mock('../../lib/cli/matrix-command', () => { mockLoaded.push('matrix'); return jest.requireActual('../../lib/cli/matrix-command'); });
jest.mock('../../lib/cli/diff-command', () => { mockLoaded.push('diff'); return jest.requireActual('../../lib/cli/diff-command'); });
jest.mock('../../lib/cli/report-command', () => { mockLoaded.push('report'); return jest.requireActual('../../lib/cli/report-command'); });
jest.mock('../../lib/cli/check-command', () => { mockLoaded.push('check'); return jest.requireActual('../../lib/cli/check-command'); });
jest.mock('../../lib/cli/query-command', () => { mockLoaded.push('query'); return jest.requireActual('../../lib/cli/query-command'); });

describe('microseg start-up', () => {
  test('GIVEN the query command WHEN it runs THEN only the query command module is loaded', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mocks are in place
    const { main } = require('../../lib/cli/main') as typeof import('../../lib/cli/main');
    let stdout = '';
    const code = await main(['query', fixtureDir('aws-sg'), '--from', 'app/Web', '--to', 'app/Db', '--port', 'tcp/5432'], {
      stdout: (text) => { stdout += text; }, stderr: () => undefined,
    });
    expect(code).toBe(1);
    expect(stdout.split('\n')[0]).toBe('DENIED: app/Web -> app/Db on tcp/5432');
    expect(mockLoaded).toEqual(['query']);
  });
});
