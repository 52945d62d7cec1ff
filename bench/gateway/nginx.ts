import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Proc } from './processes.js';

/**
 * nginx as a plain reverse proxy, the reference: one process doing the work (no master, one
 * worker's job done by the process itself, so its pid is what /proc is read for), a keep-alive
 * upstream pool, no access log. Everything it writes goes to `dir`.
 */
export function startNginx(
  nginx: string,
  dir: string,
  listenPort: number,
  backendPort: number,
): Proc {
  mkdirSync(path.join(dir, 'temp'), { recursive: true });
  const config = path.join(dir, 'nginx.conf');
  writeFileSync(
    config,
    `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/temp/body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  upstream backend {
    server 127.0.0.1:${backendPort};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  return Proc.start('nginx', nginx, ['-p', dir, '-e', `${dir}/error.log`, '-c', config], {});
}
