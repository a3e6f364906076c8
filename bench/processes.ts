/** Benchmark processes: each measured service runs in a process of its own, driven over IPC. */
import { ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import path from "node:path";

export function startChild(file: string, env: Record<string, string>, execArgv: string[] = [], execPath = process.execPath): ChildProcess {
  return fork(path.join(__dirname, file), [], {
    cwd: path.resolve(__dirname, ".."),
    execPath,
    env: { PATH: process.env.PATH ?? "", ...env },
    execArgv: [...execArgv, "--require", "tsx/cjs"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

export function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`benchmark process exited (${code}) before answering`));
    child.once("exit", onExit);
    child.once("message", (message) => {
      child.off("exit", onExit);
      resolve(message as T);
    });
  });
}

export async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
}
