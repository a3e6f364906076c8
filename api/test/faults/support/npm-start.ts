/**
 * `npm start` (local/start.ts) as a process group of its own: Node and the PostgreSQL server it
 * runs, so one signal reaches both, as a crash of the machine would.
 */
import { ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { eventually } from "../../support/eventually";

const ROOT = path.resolve(__dirname, "..", "..", "..", "..");

export interface StartedPlatform {
  child: ChildProcess;
  apiUrl: string;
  mailboxUrl: string;
  databaseUrl: string;
  exited: Promise<unknown>;
}

/** Starts it on `dataDir` and these ports, with SES's quota at 200/s unless `env` says otherwise. */
export async function npmStart(dataDir: string, ports: { api: number; ses: number }, env: Record<string, string> = {}): Promise<StartedPlatform> {
  const child = spawn(process.execPath, ["--require", "tsx/cjs", "local/start.ts"], {
    cwd: ROOT,
    detached: true, // its own process group, so one signal reaches PostgreSQL too
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      LOCAL_DATA_DIR: dataDir,
      PORT: String(ports.api),
      SES_MAILBOX_PORT: String(ports.ses),
      LOG_LEVEL: "warn",
      RATE_LIMIT_PER_CLIENT: "1000000000",
      RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "1000000000", // the load comes from one address
      LOCAL_TIME_SCALE: "20",
      OUTBOX_LEASE_MS: "2000",
      SES_MAX_SEND_RATE: "200",
      LOCAL_SES_MAX_SEND_RATE: "200",
      ...env,
    },
  });
  let stdout = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stdout += chunk));
  const exited = once(child, "exit");
  await eventually(() => {
    if (child.exitCode !== null) throw new Error(`npm start exited: ${stdout}`);
    return stdout.includes("Press Ctrl+C to stop.");
  }, 60_000, "npm start ready");
  const port = /Database\s+postgres:\/\/postgres:\*\*\*@localhost:(\d+)\//.exec(stdout)![1];
  return {
    child,
    apiUrl: `http://127.0.0.1:${ports.api}`,
    mailboxUrl: `http://127.0.0.1:${ports.ses}`,
    databaseUrl: `postgres://postgres:postgres@localhost:${port}/postgres`,
    exited,
  };
}

export function killGroup(platform: StartedPlatform, signal: NodeJS.Signals): Promise<unknown> {
  process.kill(-platform.child.pid!, signal);
  return platform.exited;
}

/** Stops it (SIGTERM) unless it is gone already. */
export async function stopIfRunning(platform: StartedPlatform | undefined): Promise<void> {
  if (platform && platform.child.exitCode === null && platform.child.signalCode === null) await killGroup(platform, "SIGTERM");
}
