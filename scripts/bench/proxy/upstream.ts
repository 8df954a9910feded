// The upstream every target proxies to (scripts/bench-proxy.ts), run by Node's own type
// stripping: GET /small → 1 KB of JSON, GET /large → 64 KB. Port in argv[2]; prints "ready <port>".
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const small = Buffer.from(JSON.stringify({ items: Array.from({ length: 24 }, (_, i) => ({ id: i, label: `item-${String(i).padStart(4, '0')}` })) }).padEnd(1024, ' '));
const large = Buffer.alloc(64 * 1024, 'x');
const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const isLarge = req.url?.startsWith('/large') === true;
  const body = isLarge ? large : small;
  res.writeHead(200, { 'content-type': isLarge ? 'application/octet-stream' : 'application/json', 'content-length': body.length });
  res.end(body);
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
});
