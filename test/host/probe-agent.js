// Runs inside one test network namespace. `serve TCP_PORTS UDP_PORTS`: accepts TCP connections and
// echoes UDP datagrams, then prints "ready". `probe JSON`: tries every probe at once, each bounded by
// its timeout, and prints the results as JSON. Ping is probed by the test itself.
'use strict';
const net = require('net');
const dgram = require('dgram');

const [mode, ...args] = process.argv.slice(2);
if (mode === 'serve') {
  const tcp = args[0] ? args[0].split(',').map(Number) : [];
  const udp = args[1] ? args[1].split(',').map(Number) : [];
  let pending = tcp.length + udp.length;
  const ready = () => { if (--pending === 0) process.stdout.write('ready\n'); };
  for (const port of tcp) net.createServer((socket) => socket.end()).listen(port, '0.0.0.0', ready);
  for (const port of udp) {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (message, remote) => socket.send(message, remote.port, remote.address));
    socket.bind(port, '0.0.0.0', ready);
  }
} else if (mode === 'probe') {
  const { probes, timeoutMs } = JSON.parse(args[0]);
  Promise.all(probes.map((probe) => (probe.protocol === 'tcp' ? tcpProbe(probe, timeoutMs) : udpProbe(probe, timeoutMs))))
    .then((results) => process.stdout.write(JSON.stringify(results)));
}

function tcpProbe(probe, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: probe.address, port: probe.port });
    const done = (connected) => { clearTimeout(timer); socket.destroy(); resolve({ ...probe, connected }); };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

function udpProbe(probe, timeoutMs) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const done = (connected) => { clearTimeout(timer); socket.close(); resolve({ ...probe, connected }); };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('message', () => done(true));
    socket.on('error', () => done(false));
    socket.send(Buffer.from('microseg'), probe.port, probe.address, (error) => { if (error) done(false); });
  });
}
