import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { load } from "js-yaml";
import { ACCOUNT_DIR, ACCOUNT_PROJECT, ACCOUNT_STACK, accountConfigFile, setKey } from "./support/account-under-test";

const RUNNER = path.resolve(ACCOUNT_DIR, "..", "stacks", "test", "support", "program-under-mocks.ts");
const project = load(readFileSync(path.join(ACCOUNT_DIR, "Pulumi.yaml"), "utf8")) as {
  main: string;
  runtime: { name: string; options: { typescript: boolean; nodeargs: string } };
};

describe("the account program entry", () => {
  it("when Pulumi's Node.js runtime loads `main` from account/ with the project's node arguments, then it exports exactly the outputs the environments read", async function () {
    this.timeout(60_000);
    assert.equal(project.runtime.name, "nodejs");
    assert.equal(project.runtime.options.typescript, false, "Pulumi's vendored ts-node stays out of the way");
    // The shared mocks know no DKIM tokens; an email sender needs none.
    const config = accountConfigFile();
    setKey(config, "sender", { email: "welcome@example.com" });

    // The engine runs the program in the folder of `main`: account/.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...project.runtime.options.nodeargs.split(" "), RUNNER, ACCOUNT_PROJECT, ACCOUNT_STACK, project.main],
      { cwd: ACCOUNT_DIR, env: { PATH: process.env.PATH ?? "", PULUMI_CONFIG: JSON.stringify(config) } },
    );
    const { outputs } = JSON.parse(stdout);

    assert.deepEqual(Object.keys(outputs).sort(), ["deployRoleArns", "dkimRecords", "sandboxRecipientIdentityArns", "senderIdentity", "senderIdentityArn"]);
    assert.deepEqual(Object.keys(outputs.deployRoleArns).sort(), ["dev", "prod"]);
    assert.equal(outputs.senderIdentity, "welcome@example.com");
    assert.deepEqual(outputs.dkimRecords, []);
  });
});
