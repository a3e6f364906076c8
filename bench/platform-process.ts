/**
 * The parent's side of bench/serve-platform.ts: forks it with --expose-gc, starts the platform
 * in it, and sends it one request at a time, each answered by one message.
 */
import { ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { PlatformDrained, PlatformRequest, PlatformSample } from "./serve-platform";

export interface PlatformProcess {
  apiUrl: string;
  databaseUrl: string;
  sample(options?: { gc?: boolean }): Promise<PlatformSample>;
  /** Waits until the welcome queue is empty (redeliveries included). */
  drain(): Promise<PlatformDrained>;
  /** Stops the platform (its PostgreSQL too) and waits for the process to exit. */
  stop(): Promise<void>;
}

export async function startPlatformProcess(env: Record<string, string>, dataDir: string, logFd: number): Promise<PlatformProcess> {
  const child = fork(path.join(__dirname, "serve-platform.ts"), [], {
    cwd: path.resolve(__dirname, ".."),
    env: { PATH: process.env.PATH ?? "" },
    execArgv: ["--expose-gc", "--require", "tsx/cjs"],
    stdio: ["ignore", logFd, "inherit", "ipc"],
  });
  let queue: Promise<unknown> = Promise.resolve();
  const ask = <T>(request: PlatformRequest): Promise<T> => {
    const answer = queue.then(() => {
      child.send(request);
      return answerOf<T>(child);
    });
    queue = answer.catch(() => undefined);
    return answer;
  };
  const { apiUrl, databaseUrl } = await ask<{ apiUrl: string; databaseUrl: string }>({ kind: "start", env, dataDir });
  return {
    apiUrl,
    databaseUrl,
    sample: (options = {}) => ask({ kind: "sample", ...options }),
    drain: () => ask({ kind: "drain" }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      await ask({ kind: "stop" });
      await exited;
    },
  };
}

function answerOf<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the platform process exited (${code}) before answering`));
    child.once("exit", onExit);
    child.once("message", (message) => {
      child.off("exit", onExit);
      resolve(message as T);
    });
  });
}
