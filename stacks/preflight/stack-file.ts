/**
 * Reads a stack's `Pulumi.<stack>.yaml` from the repository root and validates it exactly as the
 * program does (`parseStackConfig`), after turning the YAML into the string map the Pulumi CLI
 * hands to a program.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { load, YAMLException } from "js-yaml";
import { parseStackConfig, StackConfig, StackConfigError } from "../stack-config";

/** The repository root, from this file: the preflight may be run from any folder. */
export const REPOSITORY_ROOT = path.join(__dirname, "..", "..");

/** A mistake in how the preflight was called or configured: it stops before asking AWS (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The stacks that have a `Pulumi.<stack>.yaml` in `root`. */
export function listStacks(root = REPOSITORY_ROOT): string[] {
  return readdirSync(root)
    .map((file) => /^Pulumi\.([\w.-]+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** The validated configuration of `stack`; a `UsageError` names the missing file or the bad key. */
export function readStackFile(stack: string, root = REPOSITORY_ROOT): StackConfig {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!/^[\w.-]+$/.test(stack) || !existsSync(file)) {
    throw new UsageError(`Unknown stack "${stack}": there is no Pulumi.${stack}.yaml at ${root} (stacks: ${listStacks(root).join(", ") || "none"}).`);
  }
  const project = (loadYaml(path.join(root, "Pulumi.yaml")) as { name: string }).name;
  const config = (loadYaml(file) as { config?: Record<string, unknown> } | undefined)?.config;
  if (!config) throw new UsageError(`Pulumi.${stack}.yaml has no "config" section.`);
  const raw = Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
  try {
    return parseStackConfig(raw, project, `Pulumi.${stack}.yaml`);
  } catch (error) {
    if (error instanceof StackConfigError) throw new UsageError(error.message);
    throw error;
  }
}

function loadYaml(file: string): unknown {
  try {
    return load(readFileSync(file, "utf8"));
  } catch (error) {
    if (error instanceof YAMLException) throw new UsageError(`${path.basename(file)} is not valid YAML: ${error.message}`);
    throw error;
  }
}
