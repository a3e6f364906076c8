/**
 * The API container's command, read from the Dockerfile's CMD (exec form), so that what runs the
 * built entry outside Docker (the production-build suite, the registration benchmark) runs it with
 * the image's Node options, not a copy of them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

const DOCKERFILE = path.resolve(__dirname, "..", "..", "Dockerfile");

export interface ImageCommand {
  /** What comes between `node` and the entry, e.g. V8's heap options. */
  nodeOptions: string[];
  /** The entry, relative to the image's working directory. */
  entry: string;
}

export function imageCommand(): ImageCommand {
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(readFileSync(DOCKERFILE, "utf8"))?.[1];
  const argv: unknown = cmd === undefined ? undefined : JSON.parse(cmd);
  const isCommand = (a: unknown): a is string[] =>
    Array.isArray(a) && a.length >= 2 && a.every((arg) => typeof arg === "string") && a[0] === "node" && a[a.length - 1].endsWith(".js");
  if (!isCommand(argv)) {
    throw new Error(`The Dockerfile's CMD must be an exec-form ["node", ...options, "<entry>.js"], found: ${cmd ?? "no CMD"}`);
  }
  return { nodeOptions: argv.slice(1, -1), entry: argv[argv.length - 1] };
}
