/**
 * `npm run preflight -- <stack>`: the whole run, its report and exit code. AWS does not exist
 * here: aws-sdk-client-mock stands in for every AWS service through the fake account
 * (fake-aws-account.ts). Usage errors stop before AWS, so those runs spawn the real entry.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { runPreflight } from "../../preflight/main";
import { REPOSITORY_ROOT } from "../../preflight/stack-file";
import { useFakeAccount } from "./fake-aws-account";

/** Runs the preflight in-process, as `main.ts` does, capturing what it prints. */
async function preflight(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runPreflight(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe("preflight: the command", () => {
  const fakeAccount = useFakeAccount();

  it("when the account is healthy, then dev's report has every section, no failure, and exit code 0", async () => {
    const { code, stdout } = await preflight("dev");

    assert.equal(code, 0);
    assert.match(stdout, /^Preflight of stack dev: account 111122223333, region us-east-1, as arn:aws:sts::111122223333:assumed-role\/ecom-deployer\/alice\n/);
    for (const title of ["Lambda concurrency", "SES account", "SES sender", "Service-linked roles", "Deployer permissions", "Account quotas (EC2)", "HTTPS certificate"]) {
      assert.match(stdout, new RegExp(`\\n${title.replace(/[()]/g, "\\$&")}\\n  ✔`));
    }
    assert.doesNotMatch(stdout, /✖|\n {2}! /);
    assert.match(stdout, /0 failures, 0 warnings: nothing found that would stop pulumi up\.\n$/);
  });

  it("when there are only warnings (dev in the SES sandbox), then the exit code is 0 and each warning shows its fix", async () => {
    const account = fakeAccount();
    account.ses = { production: false, sendingEnabled: true, maxSendRate: 1, max24HourSend: 200 };

    const { code, stdout } = await preflight("dev");

    assert.equal(code, 0);
    assert.match(stdout, /\n {2}! The account is in the SES sandbox in us-east-1.*\n {6}fix: request production access/);
    assert.match(stdout, /0 failures, 1 warning/);
  });

  it("when the committed prod stack meets a healthy account, then the placeholder certificate fails it with exit code 1", async () => {
    const { code, stdout } = await preflight("prod");

    assert.equal(code, 1);
    assert.match(stdout, /HTTPS certificate\n {2}✖ The certificate arn:aws:acm:us-east-1:123456789012:certificate\/0{8}-.* was not found in us-east-1\. It is the committed placeholder/);
    assert.match(stdout, /1 failure, 0 warnings: fix the failures before pulumi up\./);
  });

  it("when a service-linked role is missing, then --fix creates it and the run passes", async () => {
    const account = fakeAccount();
    delete account.roles.AWSServiceRoleForECS;

    const before = await preflight("dev");
    const fixed = await preflight("dev", "--fix");

    assert.equal(before.code, 1);
    assert.match(before.stdout, /✖ AWSServiceRoleForECS is missing\.\n {6}fix: aws iam create-service-linked-role --aws-service-name ecs\.amazonaws\.com/);
    assert.equal(fixed.code, 0);
    assert.match(fixed.stdout, /✔ AWSServiceRoleForECS was missing and has been created\./);
    assert.ok(account.roles.AWSServiceRoleForECS);
  });

  it("when AWS refuses one check's call, then that section warns it could not check and the others still report", async () => {
    const account = fakeAccount();
    account.forbidden = ["lambda:GetAccountSettings"];

    const { code, stdout } = await preflight("dev");

    assert.equal(code, 0);
    assert.match(stdout, /Lambda concurrency\n {2}! Could not check: AccessDenied: .*lambda:GetAccountSettings\n {6}fix: allow the preflight's read-only calls/);
    assert.match(stdout, /SES account\n {2}✔/);
  });

  it("when there are no usable credentials, then it says how to sign in and exits 1", async () => {
    fakeAccount().signedIn = false;

    const { code, stdout } = await preflight("dev");

    assert.equal(code, 1);
    assert.match(stdout, /AWS credentials\n {2}✖ Could not sign in to AWS: Could not load credentials from any providers\n {6}fix: give the AWS SDK credentials/);
  });
});

describe("preflight: usage errors", () => {
  const run = promisify(execFile);
  const MAIN = path.join(REPOSITORY_ROOT, "stacks", "preflight", "main.ts");

  /** Spawns `tsx stacks/preflight/main.ts …` from another folder: paths come from the file. */
  async function spawnPreflight(...argv: string[]): Promise<{ code: number; stderr: string }> {
    try {
      const { stderr } = await run(process.execPath, ["--require", require.resolve("tsx/cjs"), MAIN, ...argv], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? "" } });
      return { code: 0, stderr };
    } catch (error) {
      const { code, stderr } = error as { code: number; stderr: string };
      return { code, stderr };
    }
  }

  it("when the stack has no Pulumi.<stack>.yaml, then it names the stacks there are and exits 2", async function () {
    this.timeout(30_000);
    const { code, stderr } = await spawnPreflight("staging");

    assert.equal(code, 2);
    assert.match(stderr, /Unknown stack "staging": there is no Pulumi\.staging\.yaml at .* \(stacks: dev, prod\)\.\nusage: npm run preflight -- <stack> \[--fix\]/);
  });

  it("when an option is unknown or no stack is named, then it exits 2 with the usage", async () => {
    const [unknown, none] = [await preflight("dev", "--force"), await preflight()];

    assert.deepEqual([unknown.code, none.code], [2, 2]);
    assert.match(unknown.stderr, /Unknown option '--force'.*\nusage: npm run preflight -- <stack> \[--fix\]/);
    assert.match(none.stderr, /Which stack\?/);
    assert.equal(unknown.stdout + none.stdout, "");
  });

  it("when the stack's configuration is invalid, then it names the key and exits 2", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "preflight-"));
    try {
      copyFileSync(path.join(REPOSITORY_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
      const dev = readFileSync(path.join(REPOSITORY_ROOT, "Pulumi.dev.yaml"), "utf8");
      writeFileSync(path.join(root, "Pulumi.dev.yaml"), dev.replace("sesMaxSendRate: 1 ", "sesMaxSendRate: -1 "));
      let stderr = "";

      const code = await runPreflight(["dev"], { root, stdout: () => assert.fail("no report for an invalid configuration"), stderr: (text) => (stderr += text) });

      assert.equal(code, 2);
      assert.match(stderr, /Invalid stack configuration in Pulumi\.dev\.yaml: e_com:campaign\.sesMaxSendRate must be a positive number/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
