/**
 * The campaign function's bundle as Lambda loads it: where the runtime offers the AWS SDK's
 * clients and nothing else, so whatever else it needs (RDS's IAM token signer) must be inside.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { lambdaRuntimeModules } from "../../shared/testing/lambda-runtime";
import { buildCampaignBundle } from "../build";

describe("the campaign function's bundle", function () {
  this.timeout(60_000);
  let dir: string;
  let runtime: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ecom-campaign-bundle-"));
    runtime = await lambdaRuntimeModules();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(runtime, { recursive: true, force: true });
  });

  it("when Lambda loads it with only the runtime's SDK clients beside it, then it exports its handler, RDS's token signer inside", async () => {
    const bundle = await buildCampaignBundle(dir);
    const probe = `const b = require(process.env.BUNDLE); process.stdout.write(typeof b.handler);`;

    const { stdout } = await promisify(execFile)(process.execPath, ["-e", probe], { env: { PATH: process.env.PATH ?? "", NODE_PATH: runtime, BUNDLE: bundle } });

    assert.equal(stdout, "function");
    const code = await readFile(bundle, "utf8");
    assert.doesNotMatch(code, /require\("@aws-sdk\/rds-signer"\)/);
    assert.match(code, /"rds-db"/, "the signer's service name: it signs rds-db:connect");
  });
});
