/**
 * nginx as the reference mTLS reverse proxy: the same server certificate, the same client CA,
 * the same upstream, keep-alive to it. Only when Debian's nginx is installed.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { start, type Started } from './processes.ts';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((candidate) => existsSync(candidate)) ?? null;

export interface NginxOptions {
  dir: string;
  port: number;
  upstreamPort: number;
  workers: number;
  /** The server certificate followed by its issuing CA, as Passerelle sends them. */
  serverChain: string;
  serverKey: string;
  clientCa: string;
}

export function startNginx(options: NginxOptions): Promise<Started> {
  if (!NGINX) throw new Error('nginx is not installed');
  mkdirSync(path.join(options.dir, 'tmp'), { recursive: true });
  const conf = path.join(options.dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes ${options.workers};
daemon off;
master_process on;
pid ${options.dir}/nginx.pid;
error_log ${options.dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${options.dir}/tmp/body;
  proxy_temp_path ${options.dir}/tmp/proxy;
  fastcgi_temp_path ${options.dir}/tmp/fastcgi;
  uwsgi_temp_path ${options.dir}/tmp/uwsgi;
  scgi_temp_path ${options.dir}/tmp/scgi;
  upstream app { server 127.0.0.1:${options.upstreamPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${options.port} ssl;
    ssl_certificate ${options.serverChain};
    ssl_certificate_key ${options.serverKey};
    ssl_client_certificate ${options.clientCa};
    ssl_verify_client on;
    ssl_verify_depth 2;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:SSL:10m;
    ssl_session_tickets on;
    keepalive_requests 1000000;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Client-Serial $ssl_client_serial;
      proxy_set_header X-Client-Verify $ssl_client_verify;
    }
  }
}
`,
  );
  // nginx prints nothing when it starts well: ready when the port answers.
  return start(NGINX, ['-c', conf, '-p', options.dir, '-e', path.join(options.dir, 'error.log')], { label: `nginx ×${options.workers}`, port: options.port, timeoutMs: 10_000 });
}
