// A TCP relay for bench/compare that stands for the phone's link: it counts the bytes each way,
// can be slowed (every chunk waits its turn at `bitsPerSecond`, then `oneWayMs`, as
// tests/e2e's slowLink does: each connection on its own, or with `shared` all of them in one
// queue a direction, as a phone's one radio link carries a page's parallel downloads), and can
// drop its connections or refuse new ones (the link lost).
// Our own rather than slowLink because the benchmark needs the counts and a drop that keeps
// listening, which slowLink has no way to give without changing it for the tests.
import net from 'node:net';

export const FAST = { oneWayMs: 0, bitsPerSecond: Infinity };
export const SLOW = { oneWayMs: 150, bitsPerSecond: 750_000 };

export async function relay(targetPort, shape = FAST) {
  const sockets = new Set();
  const link = { shape, up: 0, down: 0, refusing: false, lastByteAt: 0 };
  // When each direction of the shared link is free again.
  const sharedFreeAt = { up: 0, down: 0 };
  const pass = (from, to, direction) => {
    const own = { up: 0, down: 0 };
    // The queue this connection's bytes wait in.
    const queue = () => (link.shape.shared ? sharedFreeAt : own);
    from.on('data', (chunk) => {
      link[direction] += chunk.length;
      link.lastByteAt = Date.now();
      const { oneWayMs, bitsPerSecond } = link.shape;
      const freeAt = queue();
      const now = Date.now();
      freeAt[direction] = Math.max(now, freeAt[direction]) + (chunk.length * 8 * 1000) / bitsPerSecond;
      const wait = freeAt[direction] + oneWayMs - now;
      if (wait <= 0) to.write(chunk);
      else setTimeout(() => { if (!to.destroyed) to.write(chunk); }, wait);
    });
    // An end or a close passes on once the bytes before it have: a response the server sent
    // whole before closing must not be cut in the middle of its slow way down.
    const afterQueued = (then) => {
      setTimeout(then, Math.max(0, queue()[direction] + link.shape.oneWayMs - Date.now()));
    };
    from.on('end', () => afterQueued(() => to.end()));
    from.on('error', () => to.destroy());
    from.on('close', () => afterQueued(() => to.destroy()));
  };
  const server = net.createServer((client) => {
    if (link.refusing) { client.destroy(); return; }
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) { sockets.add(s); s.on('close', () => sockets.delete(s)); }
    pass(client, upstream, 'up');
    pass(upstream, client, 'down');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(link, {
    port: server.address().port,
    origin: `http://127.0.0.1:${server.address().port}`,
    /** Zeroes the byte counts. */
    reset() { link.up = 0; link.down = 0; },
    /** Cuts every connection now; new ones are taken unless `refusing`. */
    drop() { for (const s of sockets) s.destroy(); },
    close: () => new Promise((resolve) => { link.drop(); server.close(() => resolve()); }),
  });
}
