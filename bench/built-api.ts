/**
 * The API as the Docker image runs it in the prod stack's task: `npm run build` into a folder of its
 * own, then the image's command (the Dockerfile's CMD, its Node options included) with
 * NODE_ENV=production and the heap V8 gives it in the task's memory. The build folder links the
 * repository's node_modules (the image installs the same production dependencies). Its stdout is
 * read as the container's log driver reads it: every line taken from the pipe, counted and dropped.
 */
import { ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../local/embedded-postgres";
import { imageCommand } from "../shared/testing/image-command";
import { readStackFile } from "../stacks/preflight/stack-file";

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

/** How the prod stack's task runs the API: the Node binary, its options and the entry. */
export interface TaskCommand {
  node: string;
  nodeOptions: string[];
  entry: string;
}

/**
 * The API's container command in the prod stack's task, on `node` (this process's Node unless
 * another is given): the image's Node options, and the old generation's limit V8 sets there. V8
 * sizes the heap from the memory the process may use, which Node reads from the task's cgroup, and
 * gives the old generation half of it. On a machine with more memory it would let the old
 * generation grow further between full collections (to 4 GiB here), so peak RSS would be the
 * machine's, not the task's. With the image's fixed young generation, this flag gives the heap the
 * task has: in a 1 GiB memory cgroup on this machine, the API reported the same heap limit and ran
 * as many scavenges and full collections, within the spread between runs (docs/benchmarks.md,
 * "Memory and the task's size").
 */
export function taskCommand(node = process.execPath): TaskCommand {
  const { nodeOptions, entry } = imageCommand();
  return { node, nodeOptions: [...nodeOptions, `--max-old-space-size=${readStackFile("prod").api.memoryMb / 2}`], entry };
}

/**
 * Starts the built entry with `command`, `env` (plus PATH and NODE_ENV=production) and `nodeArgs`
 * (a profiler's), and waits until it is ready.
 */
export async function startBuiltApi(build: ApiBuild, command: TaskCommand, env: Record<string, string>, nodeArgs: string[] = []): Promise<BuiltApiProcess> {
  const port = await freePort();
  const child = spawn(command.node, [...command.nodeOptions, ...nodeArgs, command.entry], {
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
