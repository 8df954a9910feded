/** PROXY protocol headers and HTTPS requests sent through them, as a balancer would (tests). */
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import { collectAnswer } from './serve-process.ts';

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

export function proxyV1(source: string, sourcePort = 40000): Buffer {
  return Buffer.from(`PROXY TCP4 ${source} 127.0.0.1 ${sourcePort} 443\r\n`);
}

/** v2, PROXY command, TCP over IPv4. */
export function proxyV2(source: string, sourcePort = 40000): Buffer {
  const body = Buffer.alloc(12);
  source.split('.').forEach((octet, i) => body.writeUInt8(Number(octet), i));
  [127, 0, 0, 1].forEach((octet, i) => body.writeUInt8(octet, 4 + i));
  body.writeUInt16BE(sourcePort, 8);
  body.writeUInt16BE(443, 10);
  const head = Buffer.from([0x21, 0x11, 0, 12]);
  return Buffer.concat([V2_SIGNATURE, head, body]);
}

export interface ProxiedRequest {
  port: number;
  /** Bytes sent before the TLS handshake; null: none. */
  header: Buffer | null;
  host: string;
  ca: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  cookies?: Map<string, string>;
  localAddress?: string;
  /** Client certificate (gateway). */
  cert?: { certPem: string; keyPem: string };
}

export function proxiedRequest(o: ProxiedRequest): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const headers: Record<string, string> = { host: o.host, accept: 'text/html', ...o.headers };
  if (o.cookies?.size) headers.cookie = [...o.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  // One connection per request, opened like a balancer would: TCP, the header, then TLS.
  const agent = new https.Agent({ keepAlive: false });
  agent.createConnection = () => {
    const raw = net.connect({ host: '127.0.0.1', port: o.port, ...(o.localAddress ? { localAddress: o.localAddress } : {}) });
    if (o.header) raw.write(o.header);
    return tls.connect({ socket: raw, servername: o.host, ca: o.ca, cert: o.cert?.certPem, key: o.cert?.keyPem });
  };
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method: o.method ?? 'GET',
        path: o.path ?? '/',
        headers,
        agent,
      },
      (res) => collectAnswer(res, o.cookies).then(resolve, reject),
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
