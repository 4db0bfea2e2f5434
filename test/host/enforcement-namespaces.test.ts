import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HostFirewallFlavor } from '../../lib/host';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { synthApp } from '../helpers';
import { INTENDED, PROBED_PORTS, SERVERS, hostEstate, ruleSetFiles } from './estate';
import { TestHost, TestNetwork } from './test-network';

/**
 * Loads a server's iptables files as `HostDelivery.files()` ships them: the rule set files and
 * `<name>.load.sh` in one folder, the loader run there (inside the server's namespace).
 */
function loadWithLoader(network: TestNetwork, host: TestHost, files: Record<string, string>, names: readonly string[]): void {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-iptables-'));
  try {
    for (const name of names) fs.writeFileSync(path.join(folder, name), files[name]);
    network.exec(host, 'sh', [path.join(folder, names.find((name) => name.endsWith('.load.sh'))!)]);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** How long one probe waits for an answer. */
const PROBE_TIMEOUT_MS = 700;
/** How long the one retry of a probe that timed out where the evaluator expects a connection waits. */
const RETRY_TIMEOUT_MS = 2500;

function key(probe: { from: string; to: string; port: string }): string {
  return `${probe.from}>${probe.to} ${probe.port}`;
}

/**
 * The real enforcement test: the generated rule sets loaded into network namespaces (one per
 * server, veth pairs on a bridge in a namespace of its own), probed with TCP, UDP and ping. Every
 * declared flow connects, every other one times out, and the evaluator says the same for every pair.
 * It needs root, iproute2, nftables, iptables and ping (`.ci/run` installs them): without them it
 * fails, it never skips.
 */
describe.each([HostFirewallFlavor.NFTABLES, HostFirewallFlavor.IPTABLES])('%s rule sets in network namespaces', (flavor) => {
  const network = new TestNetwork();
  afterAll(() => network.destroy());

  test('every declared flow connects, every other one times out, as the evaluator says', async () => {
    // GIVEN the demo estate's rule sets, loaded into one namespace per server
    const { app } = hostEstate(flavor);
    const json = synthApp(app).estate.json;
    const model = loadTerraformStacks({ estate: json });
    const files = ruleSetFiles(json);
    network.create(SERVERS);
    for (const host of network.hosts) {
      const own = Object.keys(files).filter((name) => name.startsWith(`estate-${host.name}-`)).sort();
      if (flavor === HostFirewallFlavor.NFTABLES) {
        expect(own).toHaveLength(1);
        network.exec(host, 'nft', ['-f', '-'], files[own[0]]);
      } else {
        // the two rule set files and their loader, run as a configuration-management tool would
        expect(own.map((name) => name.replace(/^.*\./, ''))).toEqual(['sh', 'v4', 'v6']);
        loadWithLoader(network, host, files, own);
      }
    }
    await network.serve([8080, 5432], [514]);

    // WHEN every port is probed from every server to every other one (a probe that timed out where
    // the evaluator expects a connection is tried once more with a longer timeout: a loaded machine
    // may be slow, while a real drop times out both times)
    const verdicts = new Map(network.allPairs(PROBED_PORTS).map((p) => [key(p), evaluate(model, { from: `estate/${p.from}`, to: `estate/${p.to}`, port: p.port })]));
    const first = await network.probe(network.allPairs(PROBED_PORTS), PROBE_TIMEOUT_MS);
    const again = await network.probe(first.filter((r) => !r.connected && verdicts.get(key(r))!.allowed), RETRY_TIMEOUT_MS);
    const results = first.map((r) => again.find((retried) => key(retried) === key(r)) ?? r);

    // THEN what connects is what the program intends, and what the evaluator says, pair by pair
    expect(results).toHaveLength(SERVERS.length * (SERVERS.length - 1) * PROBED_PORTS.length);
    const observed = results.map((r) => `${r.from}>${r.to} ${r.port} ${r.connected ? 'connects' : 'times out'}`).sort();
    const intended = results.map((r) => `${r.from}>${r.to} ${r.port} ${INTENDED.has(`${r.from}>${r.to} ${r.port}`) ? 'connects' : 'times out'}`).sort();
    const evaluated = results.map((r) => {
      const verdict = verdicts.get(key(r))!;
      return `${r.from}>${r.to} ${r.port} ${verdict.allowed ? 'connects' : verdict.denied ? 'times out' : 'unknown'}`;
    }).sort();
    expect(observed).toEqual(intended);
    expect(observed).toEqual(evaluated);
    expect(observed.filter((line) => line.endsWith('connects'))).toHaveLength(INTENDED.size);
  }, 60_000);
});

describe('iptables rule sets leave other tools\' rules alone', () => {
  const network = new TestNetwork();
  afterAll(() => network.destroy());

  test('loaded twice over another tool\'s chains, they replace only their own: FORWARD and the other chains stay, no jump is doubled', () => {
    // GIVEN a server whose filter table already holds another tool's rules (as Docker writes them)
    const files = ruleSetFiles(synthApp(hostEstate(HostFirewallFlavor.IPTABLES).app).estate.json);
    network.create([['Web', '10.78.0.11']]);
    const host = network.hosts[0];
    network.exec(host, 'iptables', ['-N', 'DOCKER-USER']);
    network.exec(host, 'iptables', ['-A', 'FORWARD', '-j', 'DOCKER-USER']);
    network.exec(host, 'iptables', ['-A', 'INPUT', '-p', 'tcp', '--dport', '2375', '-j', 'ACCEPT']);

    // WHEN the rule set is delivered twice, with the loader that comes with the files
    const own = Object.keys(files).filter((name) => name.startsWith('estate-Web-')).sort();
    for (let i = 0; i < 2; i++) loadWithLoader(network, host, files, own);

    // THEN the other tool's rules are where they were, INPUT and OUTPUT jump to the library's chains
    // first (once), and those end in a drop
    const rules = network.exec(host, 'iptables', ['-S']).trim().split('\n');
    expect(rules.filter((rule) => !rule.startsWith('-A MICROSEG-'))).toEqual([
      '-P INPUT ACCEPT', '-P FORWARD ACCEPT', '-P OUTPUT ACCEPT',
      '-N DOCKER-USER', '-N MICROSEG-IN', '-N MICROSEG-OUT',
      '-A INPUT -j MICROSEG-IN', '-A INPUT -p tcp -m tcp --dport 2375 -j ACCEPT',
      '-A FORWARD -j DOCKER-USER',
      '-A OUTPUT -j MICROSEG-OUT',
    ]);
    expect(rules.filter((rule) => rule.startsWith('-A MICROSEG-IN')).slice(-1)).toEqual(['-A MICROSEG-IN -j DROP']);
    expect(rules.filter((rule) => rule === '-A MICROSEG-IN -i lo -j ACCEPT')).toHaveLength(1);
  });
});
