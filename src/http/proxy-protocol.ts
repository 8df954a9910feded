import { BlockList, isIP, type Server, type Socket } from 'node:net';

/**
 * PROXY protocol v1 (text) and v2 (binary), as sent by HAProxy, nginx stream, AWS NLB… in front
 * of a TLS pass-through balancer: the balancer opens the TCP connection, so without it the
 * client address we see (audit, per-address limits, lockout) would be the balancer's.
 * Spec: https://www.haproxy.org/download/2.8/doc/proxy-protocol.txt
 */

/** Where the connection really came from, as the balancer tells it. */
export interface ProxiedAddress {
  address: string;
  port: number | null;
}

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_PREFIX = Buffer.from('PROXY ');
/** v1 lines are at most 107 bytes (CRLF included). */
const V1_MAX = 107;
/** A v2 header with TLVs we do not read; more than this is not a balancer we know. */
const V2_MAX = 16 + 1024;
/** A connection that sends no complete header (balancer) or no first byte (anyone else) within this delay is dropped. */
const HEADER_TIMEOUT_MS = 10_000;

export type Parsed =
  | { state: 'incomplete' }
  | { state: 'invalid'; reason: string }
  /** `source` null: LOCAL command (the balancer's own health check) or an unknown family: use the socket's address. */
  | { state: 'done'; source: ProxiedAddress | null; length: number };

function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function parseV1(buffer: Buffer): Parsed {
  const end = buffer.indexOf('\r\n');
  if (end < 0) return buffer.length >= V1_MAX ? { state: 'invalid', reason: 'v1 header too long' } : { state: 'incomplete' };
  if (end + 2 > V1_MAX) return { state: 'invalid', reason: 'v1 header too long' };
  const parts = buffer.subarray(0, end).toString('latin1').split(' ');
  const length = end + 2;
  if (parts[1] === 'UNKNOWN') return { state: 'done', source: null, length };
  if (parts.length !== 6 || (parts[1] !== 'TCP4' && parts[1] !== 'TCP6')) return { state: 'invalid', reason: 'malformed v1 header' };
  const [, family, source, destination, sourcePort, destinationPort] = parts as [string, string, string, string, string, string];
  const expected = family === 'TCP4' ? 4 : 6;
  const port = /^(0|[1-9][0-9]{0,4})$/;
  if (isIP(source) !== expected || isIP(destination) !== expected || !port.test(sourcePort) || !port.test(destinationPort) || Number(sourcePort) > 65535 || Number(destinationPort) > 65535) {
    return { state: 'invalid', reason: 'malformed v1 addresses' };
  }
  return { state: 'done', source: { address: normalize(source), port: Number(sourcePort) }, length };
}

function ipv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  // Node's own formatting (compressed zeros) through BlockList-free round trip.
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
}

function parseV2(buffer: Buffer): Parsed {
  if (buffer.length < 16) return { state: 'incomplete' };
  const versionCommand = buffer[12]!;
  if (versionCommand >> 4 !== 2) return { state: 'invalid', reason: 'v2: unsupported version' };
  const command = versionCommand & 0x0f;
  if (command > 1) return { state: 'invalid', reason: 'v2: unknown command' };
  const family = buffer[13]!;
  const bodyLength = buffer.readUInt16BE(14);
  const length = 16 + bodyLength;
  if (length > V2_MAX) return { state: 'invalid', reason: 'v2 header too long' };
  if (buffer.length < length) return { state: 'incomplete' };
  if (command === 0) return { state: 'done', source: null, length }; // LOCAL
  const body = buffer.subarray(16, length);
  if (family === 0x11 || family === 0x12) {
    if (body.length < 12) return { state: 'invalid', reason: 'v2: short IPv4 addresses' };
    return { state: 'done', source: { address: [...body.subarray(0, 4)].join('.'), port: body.readUInt16BE(8) }, length };
  }
  if (family === 0x21 || family === 0x22) {
    if (body.length < 36) return { state: 'invalid', reason: 'v2: short IPv6 addresses' };
    return { state: 'done', source: { address: normalize(ipv6(body.subarray(0, 16))), port: body.readUInt16BE(32) }, length };
  }
  return { state: 'done', source: null, length }; // UNSPEC or UNIX: nothing we can use as an IP
}

/** Reads a header at the start of `buffer`; `invalid` also when the bytes are not a PROXY header at all. */
export function parseProxyHeader(buffer: Buffer): Parsed {
  const sig = Math.min(buffer.length, V2_SIGNATURE.length);
  if (buffer.subarray(0, sig).equals(V2_SIGNATURE.subarray(0, sig))) return sig < V2_SIGNATURE.length ? { state: 'incomplete' } : parseV2(buffer);
  const v1 = Math.min(buffer.length, V1_PREFIX.length);
  if (buffer.subarray(0, v1).equals(V1_PREFIX.subarray(0, v1))) return v1 < V1_PREFIX.length ? { state: 'incomplete' } : parseV1(buffer);
  return { state: 'invalid', reason: 'no PROXY header' };
}

/** Could these first bytes be the start of a PROXY header? (A TLS ClientHello starts with 0x16.) */
function looksLikeProxyHeader(first: number): boolean {
  return first === V1_PREFIX[0] || first === V2_SIGNATURE[0];
}

/** CIDRs (`10.0.0.0/8`, `fd00::/8`) or single addresses → a matcher. */
export function trustedPeers(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of cidrs) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

export function isTrustedPeer(list: BlockList, address: string | undefined): boolean {
  if (!address) return false;
  const plain = normalize(address);
  return list.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
}

const PROXIED = Symbol('passerelle.proxied');
type Marked = Socket & { [PROXIED]?: ProxiedAddress; _parent?: Marked };

/** The client address a balancer gave for this connection (the TLS socket or its TCP socket), if any. */
export function proxiedAddress(socket: unknown): ProxiedAddress | null {
  const marked = socket as Marked | null;
  return marked?.[PROXIED] ?? marked?._parent?.[PROXIED] ?? null;
}

export interface ProxyProtocolEvents {
  /** A connection dropped: `reason` says why (untrusted peer sent a header, trusted peer none, malformed). */
  refused(peer: string | undefined, reason: string): void;
}

/**
 * Puts the PROXY protocol in front of a TLS server's handshake: the server's own `connection`
 * listeners (the TLS wrap) run only once the header is read and stripped (the bytes after it
 * are put back on the socket: the TLS layer reads them first). Only peers in `trusted` may
 * send a header, and they must; a header from anyone else is refused (a client could
 * otherwise claim any address). The server still owns the listening socket, so `close()`
 * and connection accounting (drain) are unchanged.
 */
export function acceptProxyProtocol(server: Server, trusted: BlockList, events: ProxyProtocolEvents): void {
  const handOver = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const fromBalancer = isTrustedPeer(trusted, socket.remoteAddress);
    let buffered: Buffer = Buffer.alloc(0);
    const refuse = (reason: string) => {
      cleanup();
      events.refused(socket.remoteAddress, reason);
      socket.destroy();
    };
    // Until handed over, the TLS handshake timeout does not run yet: this one stands in for it.
    const timer = setTimeout(() => refuse(fromBalancer ? 'no PROXY header in time' : 'nothing sent in time'), HEADER_TIMEOUT_MS);
    timer.unref();
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('end', onEnd);
    };
    const proceed = (rest: Buffer, source: ProxiedAddress | null) => {
      cleanup();
      socket.pause();
      if (source) (socket as Marked)[PROXIED] = source;
      if (rest.length > 0) socket.unshift(rest);
      for (const listener of handOver) listener.call(server, socket);
    };
    const onData = (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      if (!fromBalancer) {
        if (looksLikeProxyHeader(buffered[0]!)) refuse('PROXY header from an untrusted address');
        else proceed(buffered, null);
        return;
      }
      const parsed = parseProxyHeader(buffered);
      if (parsed.state === 'incomplete') return;
      if (parsed.state === 'invalid') refuse(parsed.reason);
      else proceed(buffered.subarray(parsed.length), parsed.source);
    };
    const onError = () => cleanup();
    const onEnd = () => {
      cleanup();
      socket.destroy();
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('end', onEnd);
  });
}
