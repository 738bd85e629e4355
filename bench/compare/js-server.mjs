// Serves the JS client of bench/compare on 127.0.0.1 (dist/, brotli copies to browsers that
// accept them, as our server sends its hashed assets) and passes `/sync` WebSocket upgrades
// through to our server untouched. Our server only accepts a WebSocket whose Origin host is the
// Host it was asked under, so the JS page must reach /sync through the origin it was loaded
// from: a raw pass-through keeps the browser's own Host and Origin, and the token in the URL.
import http from 'node:http';
import net from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm' };

export async function jsClientServer(distDir, serverPort) {
  const http1 = http.createServer((req, res) => {
    const name = new URL(req.url, 'http://localhost').pathname.slice(1) || 'index.html';
    const file = path.join(distDir, name);
    if (!/^[\w.-]+$/.test(name) || !existsSync(file)) { res.writeHead(404).end(); return; }
    const br = /\bbr\b/.test(req.headers['accept-encoding'] ?? '') && existsSync(`${file}.br`);
    const body = readFileSync(br ? `${file}.br` : file);
    res.writeHead(200, {
      'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-cache',
      vary: 'accept-encoding',
      ...(br ? { 'content-encoding': 'br' } : {}),
    });
    res.end(body);
  });
  http1.on('upgrade', (req, socket, head) => {
    const upstream = net.connect(serverPort, '127.0.0.1', () => {
      let request = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) request += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      upstream.write(`${request}\r\n`);
      if (head.length) upstream.write(head);
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
    for (const [a, b] of [[socket, upstream], [upstream, socket]]) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  });
  await new Promise((resolve) => http1.listen(0, '127.0.0.1', resolve));
  return {
    port: http1.address().port,
    close: () => new Promise((resolve) => { http1.closeAllConnections(); http1.close(() => resolve()); }),
  };
}
