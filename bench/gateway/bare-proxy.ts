/**
 * The floor a Node gateway is compared with: a pass-through reverse proxy on node:http and
 * undici, with no checks at all. Every request goes to BACKEND_URL as it came (hop-by-hop
 * headers dropped) over a keep-alive pool; the answer streams back the same way.
 *
 *   BACKEND_URL=http://127.0.0.1:4001 PORT=8081 node --import tsx bench/gateway/bare-proxy.ts
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
]);

function endToEnd(headers: IncomingHttpHeaders | Dispatcher.ResponseData['headers']) {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  return kept;
}

const pool = new Pool(process.env.BACKEND_URL!, { connections: 64, keepAliveTimeout: 30_000 });

createServer((req, res) => {
  const bodyless = req.method === 'GET' || req.method === 'HEAD';
  pool
    .request({
      method: req.method as Dispatcher.HttpMethod,
      path: req.url!,
      headers: endToEnd(req.headers),
      body: bodyless ? null : req,
    })
    .then(async (upstream) => {
      res.writeHead(upstream.statusCode, endToEnd(upstream.headers));
      await pipeline(upstream.body, res);
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
}).listen(Number(process.env.PORT), '127.0.0.1');
