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

export function imageCommand(dockerfile = readFileSync(DOCKERFILE, "utf8")): ImageCommand {
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  const argv: unknown = cmd === undefined ? undefined : JSON.parse(cmd);
  const strings = Array.isArray(argv) && argv.every((arg) => typeof arg === "string") ? (argv as string[]) : [];
  const [node, entry] = [strings[0], strings[strings.length - 1]];
  if (strings.length < 2 || node !== "node" || !entry.endsWith(".js")) {
    throw new Error(`The Dockerfile's CMD must be an exec-form ["node", ...options, "<entry>.js"], found: ${cmd ?? "no CMD"}`);
  }
  return { nodeOptions: strings.slice(1, -1), entry };
}
