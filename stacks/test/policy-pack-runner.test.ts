import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";

const PACK_DIR = path.resolve(__dirname, "..", "policy");
/** What `pulumi preview --policy-pack stacks/policy` runs: Pulumi's runner, in the pack's folder. */
const RUNNER = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack");

describe("policy pack under Pulumi's runner", () => {
  it("when Pulumi's policy runner loads the pack, then it compiles (with Pulumi's own ts-node) and serves its rules", async function () {
    this.timeout(60_000);
    // Arguments as the CLI passes them: the engine's address (unused until rules run), the pack's folder.
    const runner = spawn(process.execPath, [RUNNER, "127.0.0.1:1", "."], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    runner.stderr.on("data", (chunk) => (stderr += chunk));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        runner.stdout.on("data", (chunk) => {
          stdout += chunk;
          const line = stdout.match(/^(\d+)\n/);
          if (line) resolve(Number(line[1]));
        });
        runner.once("exit", (code) => reject(new Error(`the runner exited (${code}) before serving:\n${stdout}${stderr}`)));
      });

      assert.ok(port > 0, "the runner printed the port the engine connects to");
    } finally {
      runner.kill("SIGKILL");
    }
  });
});
