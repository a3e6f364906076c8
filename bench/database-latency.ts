/**
 * PostgreSQL as far away as RDS is from a task: a TCP proxy in front of the local server that holds
 * each chunk `delayMs` in each direction before passing it on (Node's timers: at least 1 ms, so
 * about 2 ms a round trip, as between availability zones; within one RDS answers in 0.3–1 ms).
 * Every connection through `url()` meets it; the server itself is unchanged.
 */
import net from "node:net";
import { LocalPostgres } from "../local/embedded-postgres";

export async function delayedPostgres(postgres: LocalPostgres, delayMs: number): Promise<{ postgres: LocalPostgres; stop(): Promise<void> }> {
  const proxy = net.createServer((client) => {
    const server = net.connect(postgres.port, "127.0.0.1");
    const relay = (from: net.Socket, to: net.Socket) => from.on("data", (chunk) => setTimeout(() => to.write(chunk), delayMs));
    relay(client, server);
    relay(server, client);
    const close = () => {
      client.destroy();
      server.destroy();
    };
    for (const socket of [client, server]) socket.on("close", close).on("error", close);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const port = (proxy.address() as net.AddressInfo).port;
  const far: LocalPostgres = { ...postgres, port, url: (database) => postgres.url(database).replace(`:${postgres.port}/`, `:${port}/`) };
  return { postgres: far, stop: () => new Promise((resolve) => proxy.close(() => resolve())) };
}
