import net from 'node:net';

/**
 * A TCP forwarder in front of PostgreSQL that a test can cut and restore: `cut()` destroys every
 * open connection (the app sees its backends die mid-query, like pg_terminate_backend or a
 * restart) and stops listening (new connections are refused); `restore()` listens again.
 */
export interface TcpProxy {
  port: number;
  cut: () => Promise<void>;
  restore: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startTcpProxy(opts: {
  port: number;
  target: { host: string; port: number };
}): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(opts.target);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once('error', reject);
      s.listen(opts.port, '127.0.0.1', () => {
        server = s;
        resolve();
      });
    });

  const stopListening = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = null;
      if (!s) return resolve();
      s.close(() => resolve());
      for (const sock of sockets) sock.destroy();
    });

  await listen();
  return {
    port: opts.port,
    cut: stopListening,
    restore: listen,
    close: stopListening,
  };
}
