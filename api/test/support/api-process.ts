/**
 * The API as a real process (`node api/src/main.ts`), for what only a process shows: its stdout
 * (what CloudWatch receives), its exit code, and how it reacts to the SIGTERM Fargate sends.
 */
import { ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { eventually } from "./eventually";

const ROOT = path.resolve(__dirname, "..", "..", "..");

export interface ApiProcess {
  child: ChildProcess;
  /** Set once the process logged that it listens. */
  url: string;
  stdout(): string;
  stderr(): string;
  /** Every stdout line parsed as JSON; a line that is not JSON fails the test that reads it. */
  logLines(): Record<string, unknown>[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Starts main.ts with exactly `env` (plus PATH) and, unless `waitForListening` is false, waits until
 * it serves. `preload`: modules (paths from the repository's root) loaded into the process first.
 */
export async function spawnApi(env: Record<string, string>, { waitForListening = true, preload = [] as string[] } = {}): Promise<ApiProcess> {
  const required = preload.flatMap((module) => ["--require", `./${module}`]);
  const child = spawn(process.execPath, ["--require", "tsx/cjs", ...required, "api/src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = once(child, "exit").then(([code]) => code as number | null);

  const api: ApiProcess = {
    child,
    url: "",
    stdout: () => stdout,
    stderr: () => stderr,
    logLines: () =>
      stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          try {
            return JSON.parse(line);
          } catch {
            throw new Error(`stdout holds a line that is not JSON: ${line}`);
          }
        }),
    exited,
  };
  if (waitForListening) {
    const listening = await waitFor(api, (l) => l.msg === "registration API listening");
    api.url = String(listening.url);
  }
  return api;
}

/** Waits for the first log line matching `predicate`; fails early if the process exits first. */
export async function waitFor(
  api: ApiProcess,
  predicate: (line: Record<string, unknown>) => boolean,
  timeoutMs = 10_000,
): Promise<Record<string, unknown>> {
  let found: Record<string, unknown> | undefined;
  await eventually(
    () => {
      if (api.child.exitCode !== null) throw new Error(`the API exited (${api.child.exitCode}): ${api.stderr()}`);
      found = api.logLines().find(predicate);
      return found !== undefined;
    },
    timeoutMs,
    `a log line like that (stdout so far:\n${api.stdout()})`,
  );
  return found!;
}
