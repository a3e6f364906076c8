/**
 * Image builds name their context and Dockerfile by absolute path. The engine runs the program in
 * the folder of `main` (stacks/), not the project's root, so a relative context names a folder
 * the author did not mean: the build fails there, or builds the wrong thing. The pack runs on the
 * machine that builds, so it also checks the Dockerfile is where the build will look for it.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { Check, Props, resourcePolicy } from "./resource-policy";

interface Build {
  context?: unknown;
  dockerfile?: unknown;
}

/** Where each image-building resource type keeps its context and Dockerfile. */
const BUILD_OF: Record<string, (props: Props) => Build> = {
  "awsx:ecr:Image": (p) => ({ context: p.context, dockerfile: p.dockerfile }),
  "docker-build:index:Image": (p) => ({ context: p.context?.location, dockerfile: p.dockerfile?.inline ? "inline" : p.dockerfile?.location }),
  "docker:index/image:Image": (p) => ({ context: p.build?.context, dockerfile: p.build?.dockerfile }),
};

function buildProblems({ context, dockerfile }: Build): string[] {
  if (typeof context !== "string" || !path.isAbsolute(context)) {
    return [
      `the build context ${JSON.stringify(context ?? ".")} is relative to the folder the engine runs the program in; ` +
        `resolve it from the program's file, e.g. path.join(__dirname, "..")`,
    ];
  }
  if (dockerfile === "inline") return [];
  const file = dockerfile === undefined ? path.join(context, "Dockerfile") : String(dockerfile);
  if (!path.isAbsolute(file)) return [`the dockerfile ${JSON.stringify(file)} is relative; name it by absolute path`];
  return existsSync(file) ? [] : [`there is no Dockerfile at ${file}`];
}

export const imageBuildPolicies = [
  resourcePolicy(
    "image-build-context-absolute",
    "Container images are built from an absolute context that holds their Dockerfile",
    Object.fromEntries(Object.entries(BUILD_OF).map(([type, buildOf]): [string, Check] => [type, (props) => buildProblems(buildOf(props))])),
  ),
];
