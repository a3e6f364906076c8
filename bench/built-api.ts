/**
 * The API as the Docker image runs it: `npm run build` into a folder of its own, then
 * `node dist/api/src/main.js` with NODE_ENV=production. The build folder links the repository's
 * node_modules (the image installs the same production dependencies). Its stdout is read as the
 * container's log driver reads it: every line taken from the pipe, counted and dropped.
 */
import { ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../local/embedded-postgres";

const ROOT = path.resolve(__dirname, "..");

export interface ApiBuild {
  dir: string;
  remove(): Promise<void>;
}

export async function buildApi(): Promise<ApiBuild> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ecom-bench-build-"));
  await promisify(execFile)("npm", ["run", "build", "--", "--outDir", path.join(dir, "dist")], { cwd: ROOT });
  await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface BuiltApiProcess {
  child: ChildProcess;
  url: string;
  /** Lines written to stdout so far. */
  logLines(): number;
  /** Sends SIGTERM (as ECS does) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the built entry with `env` (plus PATH and NODE_ENV=production) and waits until it is ready. */
export async function startBuiltApi(build: ApiBuild, env: Record<string, string>, nodeArgs: string[] = []): Promise<BuiltApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, "dist/api/src/main.js"], {
    cwd: build.dir,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let lines = 0;
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
  });
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const url = `http://127.0.0.1:${port}`;
  for (const started = Date.now(); ; ) {
    if (child.exitCode !== null) throw new Error(`the built API exited (${child.exitCode}): ${stderr}`);
    if ((await fetch(`${url}/health/ready`).catch(() => undefined))?.status === 200) break;
    if (Date.now() - started > 30_000) throw new Error(`the built API did not become ready: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    url,
    logLines: () => lines,
    async stop() {
      child.kill("SIGTERM");
      const code = await exited;
      if (code !== 0) process.stderr.write(`the built API exited ${code}: ${stderr}\n`);
      return code;
    },
  };
}
