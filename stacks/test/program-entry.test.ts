import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { load } from "js-yaml";
import { policyNamed, violations } from "./support/policy-check";
import { PROJECT, stackConfigFile } from "./support/stack-under-test";

const ROOT = path.resolve(__dirname, "..", "..");
const project = load(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
  main: string;
  runtime: { name: string; options: { typescript: boolean; nodeargs: string } };
};

/**
 * Runs `main` as the engine does: with `main` a file, the engine starts the language host in that
 * file's folder (stacks/, not the project root) and hands it the file's absolute path.
 */
async function runProgramAsTheEngineDoes(stack: string) {
  const main = path.join(ROOT, project.main);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...project.runtime.options.nodeargs.split(" "), path.join(__dirname, "support", "program-under-mocks.ts"), PROJECT, stack, main],
    { cwd: path.dirname(main), env: { PATH: process.env.PATH ?? "", PULUMI_CONFIG: JSON.stringify(stackConfigFile(stack)) } },
  );
  return JSON.parse(stdout);
}

describe("the Pulumi program entry", () => {
  let run: { outputs: Record<string, unknown>; campaignCodePath: string; migratorCodePath: string; imageBuild: { type: string; inputs: { context: string; dockerfile?: string } } };
  before(async function () {
    this.timeout(60_000);
    assert.equal(project.runtime.name, "nodejs");
    assert.equal(project.runtime.options.typescript, false, "Pulumi's vendored ts-node stays out of the way");
    assert.equal(path.dirname(project.main), "stacks", "the engine runs the program in stacks/");
    run = await runProgramAsTheEngineDoes("dev");
  });

  it("when Pulumi's Node.js runtime loads `main` from stacks/ with the project's node arguments, then the dev stack builds the functions' bundles and exports every output", () => {
    assert.deepEqual(Object.keys(run.outputs).sort(), [
      "adminApiKeySecretArn",
      "apiUrl",
      "broadcastDeadLetterQueueUrl",
      "broadcastFunctionName",
      "broadcastQueueUrl",
      "campaignFunctionName",
      "dashboardUrl",
      "databaseEndpoint",
      "deadLetterQueueUrl",
      "ecrRepositoryUrl",
      "loadBalancerDnsName",
      "migratorFunctionName",
      "paused",
      "servesHttps",
      "sesConfigurationSet",
      "sesEventsDeadLetterQueueUrl",
      "sesEventsFunctionName",
      "sesEventsQueueUrl",
      "swaggerUiUrl",
      "topicArn",
      "welcomeQueueUrl",
    ]);
    for (const codePath of [run.campaignCodePath, run.migratorCodePath]) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle Lambda would load
      const bundle = require(path.resolve(codePath, "index.js"));
      assert.equal(typeof bundle.handler, "function", `${codePath} holds index.js exporting \`handler\``);
    }
    assert.notEqual(run.campaignCodePath, run.migratorCodePath);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- one bundle, one export per campaign function
    const campaign = require(path.resolve(run.campaignCodePath, "index.js"));
    for (const handler of ["broadcastHandler", "sesEventsHandler"]) assert.equal(typeof campaign[handler], "function", `the campaign bundle exports \`${handler}\``);
  });

  it("when the program runs from stacks/, then the image's build context is the repository root, holding the Dockerfile and .dockerignore", async () => {
    const { context, dockerfile } = run.imageBuild.inputs;

    assert.ok(path.isAbsolute(context), `${context} does not depend on the working directory`);
    assert.ok(existsSync(path.join(context, "Dockerfile")));
    assert.ok(existsSync(path.join(context, ".dockerignore")));
    assert.equal(dockerfile, path.join(context, "Dockerfile"));
    assert.deepEqual(await violations(policyNamed("image-build-context-absolute"), run.imageBuild.type, run.imageBuild.inputs), []);
  });
});
