import { ChildProcess, execFile, execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as path from 'path';

const AGENT = path.join(__dirname, 'probe-agent.js');

/** One server of the test network: its namespace and address. */
export interface TestHost {
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
}

/** A probe's outcome. */
export interface ProbeResult {
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly connected: boolean;
}

/**
 * A network that lives only in namespaces this test creates: one per server, each with a veth
 * whose peer sits on a bridge in a namespace of its own, never in the root namespace. No route
 * leads out, so no packet can leave it. `destroy` removes every namespace it made.
 */
export class TestNetwork {
  /** The servers. */
  public readonly hosts: TestHost[] = [];
  private readonly prefix = `ms${randomBytes(3).toString('hex')}`;
  private readonly namespaces: string[] = [];
  private readonly servers: ChildProcess[] = [];

  /** The bridge namespace. */
  private get bridge(): string {
    return `${this.prefix}-br`;
  }

  /** Creates the bridge and one namespace per server on a /24. */
  public create(servers: ReadonlyArray<readonly [string, string]>): void {
    this.addNamespace(this.bridge);
    ip('-n', this.bridge, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', this.bridge, 'link', 'set', 'br0', 'up');
    servers.forEach(([name, address], index) => {
      const namespace = `${this.prefix}-h${index}`;
      this.addNamespace(namespace);
      ip('-n', namespace, 'link', 'set', 'lo', 'up');
      ip('-n', namespace, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `p${index}`, 'netns', this.bridge);
      ip('-n', this.bridge, 'link', 'set', `p${index}`, 'master', 'br0', 'up');
      ip('-n', namespace, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      ip('-n', namespace, 'link', 'set', 'eth0', 'up');
      this.hosts.push({ name, namespace, address });
    });
  }

  /** Runs a command inside a server's namespace. */
  public exec(host: TestHost, command: string, args: string[], input?: string): string {
    return execFileSync('ip', ['netns', 'exec', host.namespace, command, ...args], { input, stdio: 'pipe', timeout: 10_000 }).toString();
  }

  /** Starts a TCP and UDP server in every namespace and waits until each listens. */
  public async serve(tcp: readonly number[], udp: readonly number[]): Promise<void> {
    await Promise.all(this.hosts.map((host) => new Promise<void>((resolve, reject) => {
      const child = spawn('ip', ['netns', 'exec', host.namespace, process.execPath, AGENT, 'serve', tcp.join(','), udp.join(',')], { stdio: ['ignore', 'pipe', 'pipe'] });
      this.servers.push(child);
      const timer = setTimeout(() => reject(new Error(`the probe server in ${host.namespace} did not start`)), 10_000);
      child.stdout!.on('data', (data) => { if (data.toString().includes('ready')) { clearTimeout(timer); resolve(); } });
      child.on('exit', (code) => reject(new Error(`the probe server in ${host.namespace} exited with ${code}`)));
    })));
  }

  /** Every (source, destination, port) of distinct servers. */
  public allPairs(ports: readonly string[]): Array<{ from: string; to: string; port: string }> {
    return this.hosts.flatMap((source) => this.hosts.filter((host) => host !== source)
      .flatMap((target) => ports.map((port) => ({ from: source.name, to: target.name, port }))));
  }

  /**
   * Runs the probes all at once (TCP connect, UDP echo, ping), each bounded by `timeoutMs`: one
   * probe agent per source namespace and one ping per ICMP probe.
   */
  public async probe(probes: ReadonlyArray<{ from: string; to: string; port: string }>, timeoutMs: number): Promise<ProbeResult[]> {
    const results: ProbeResult[] = [];
    const host = (name: string) => this.hosts.find((candidate) => candidate.name === name)!;
    await Promise.all(this.hosts.map(async (source) => {
      const own = probes.filter((probe) => probe.from === source.name);
      const socketProbes = own.filter((probe) => !probe.port.startsWith('icmp')).map((probe) => {
        const [protocol, number] = probe.port.split('/');
        return { to: probe.to, address: host(probe.to).address, protocol, port: Number(number), key: probe.port };
      });
      const agent = socketProbes.length === 0 ? Promise.resolve() : run('ip', [
        'netns', 'exec', source.namespace, process.execPath, AGENT, 'probe', JSON.stringify({ probes: socketProbes, timeoutMs }),
      ]).then(({ stdout }) => {
        for (const probe of JSON.parse(stdout)) results.push({ from: source.name, to: probe.to, port: probe.key, connected: probe.connected });
      });
      const pings = own.filter((probe) => probe.port.startsWith('icmp')).map((probe) => run('ip', [
        'netns', 'exec', source.namespace, 'ping', '-n', '-c', '1', '-W', String(Math.max(1, Math.ceil(timeoutMs / 1000))), host(probe.to).address,
      ]).then(({ code }) => { results.push({ from: source.name, to: probe.to, port: probe.port, connected: code === 0 }); }));
      await Promise.all([agent, ...pings]);
    }));
    return results;
  }

  /** Stops the servers and removes every namespace this network made (also after a failure). */
  public destroy(): void {
    for (const child of this.servers) if (child.exitCode === null) child.kill('SIGKILL');
    for (const namespace of this.namespaces.reverse()) {
      try {
        execFileSync('ip', ['netns', 'pids', namespace], { stdio: 'pipe' }).toString().split('\n').filter(Boolean)
          .forEach((pid) => { try { process.kill(Number(pid), 'SIGKILL'); } catch { /* already gone */ } });
        execFileSync('ip', ['netns', 'del', namespace], { stdio: 'pipe' });
      } catch {
        // a namespace that is already gone
      }
    }
    this.namespaces.length = 0;
  }

  private addNamespace(namespace: string): void {
    ip('netns', 'add', namespace);
    this.namespaces.push(namespace);
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe', timeout: 10_000 });
}

function run(command: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 15_000 }, (error, stdout) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: stdout.toString() });
    });
  });
}
