// A slow phone link as one TCP proxy in front of the server: every connection behind it (the
// page's, the service worker's) shares one downlink of `rate` bytes/s, and each way waits
// `latency` ms. DevTools' network emulation throttles each request on its own and cancels a
// page's downloads when it navigates; a real link does neither, and a journey across pages
// depends on both.
import net from 'node:net';

// Chromium's "Slow 4G": 1.4744 Mbit/s down, a 562.5 ms round trip.
export async function slowLink(target, { rate = (1.4744 * 1024 * 1024) / 8, latency = 281 } = {}) {
  // What the server sent, per connection, in order: { data, at }. The link serves the
  // connections with bytes due in turn, a packet each, as a phone's radio link shares itself
  // between TCP flows (first come, first served would hold a page behind a download).
  const pending = new Map(); // socket → [{ data, at }]
  const seen = { bytes: 0, paths: [] };
  const PACKET = 1460;
  const pump = setInterval(() => {
    let budget = rate / 100;
    const now = Date.now();
    while (budget > 0) {
      let sent = 0;
      for (const [socket, queue] of pending) {
        if (socket.destroyed || queue.length === 0) {
          if (socket.destroyed) pending.delete(socket);
          continue;
        }
        if (queue[0].at > now || budget <= 0) continue;
        const size = Math.min(PACKET, budget, queue[0].data.length);
        socket.write(queue[0].data.subarray(0, size));
        seen.bytes += size;
        sent += size;
        budget -= size;
        if (size === queue[0].data.length) queue.shift();
        else queue[0].data = queue[0].data.subarray(size);
      }
      if (sent === 0) break;
    }
  }, 10);
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    client.on('data', (data) => {
      const [method, path] = data.toString('latin1').split(' ', 2);
      if (/^[A-Z]+$/.test(method) && path?.startsWith('/')) seen.paths.push(path);
      setTimeout(() => upstream.destroyed || upstream.write(data), latency);
    });
    pending.set(client, []);
    upstream.on('data', (data) => pending.get(client)?.push({ data, at: Date.now() + latency }));
    // The server's end reaches the phone after the bytes before it.
    upstream.on('end', () => {
      const drained = setInterval(() => {
        if (!(pending.get(client)?.length > 0)) {
          clearInterval(drained);
          client.end();
        }
      }, 20);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', () => {
      pending.delete(client);
      upstream.destroy();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${server.address().port}`,
    seen,
    close() {
      clearInterval(pump);
      server.close();
    },
  };
}
