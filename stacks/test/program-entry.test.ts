import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { load } from "js-yaml";
import { PROJECT, stackConfigFile } from "./support/stack-under-test";

const ROOT = path.resolve(__dirname, "..", "..");
const project = load(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
  main: string;
  runtime: { name: string; options: { typescript: boolean; nodeargs: string } };
};

describe("the Pulumi program entry", () => {
  it("when Pulumi's Node.js runtime loads `main` with the project's node arguments, then the dev stack builds the campaign bundle and exports every output", async function () {
    this.timeout(60_000);
    assert.equal(project.runtime.name, "nodejs");
    assert.equal(project.runtime.options.typescript, false, "Pulumi's vendored ts-node stays out of the way");

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...project.runtime.options.nodeargs.split(" "), path.join(__dirname, "support", "program-under-mocks.ts"), PROJECT, "dev", project.main],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? "", PULUMI_CONFIG: JSON.stringify(stackConfigFile("dev")) } },
    );
    const { outputs, campaignCodePath } = JSON.parse(stdout);

    assert.deepEqual(Object.keys(outputs).sort(), [
      "adminApiKeySecretArn",
      "apiUrl",
      "campaignFunctionName",
      "databaseEndpoint",
      "deadLetterQueueUrl",
      "ecrRepositoryUrl",
      "swaggerUiUrl",
      "topicArn",
    ]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle Lambda would load
    const bundle = require(path.resolve(ROOT, campaignCodePath, "index.js"));
    assert.equal(typeof bundle.handler, "function", "the archive holds index.js exporting `handler`");
  });
});
