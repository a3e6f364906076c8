/**
 * What a Lambda Node.js runtime offers a bundle besides its own code: the AWS SDK's clients, and
 * nothing else of the repository's dependencies. A bundle run with NODE_PATH set to this folder
 * fails if it needs anything it should have bundled.
 */
import { mkdir, mkdtemp, readdir, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const SDK = path.resolve(__dirname, "..", "..", "node_modules", "@aws-sdk");

/** A folder for NODE_PATH holding only `@aws-sdk/client-*` (each resolves its own dependencies where it is installed). */
export async function lambdaRuntimeModules(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ecom-lambda-runtime-"));
  await mkdir(path.join(dir, "@aws-sdk"));
  for (const name of (await readdir(SDK)).filter((n) => n.startsWith("client-"))) {
    await symlink(path.join(SDK, name), path.join(dir, "@aws-sdk", name), "dir");
  }
  return dir;
}
