/**
 * What the Docker image runs, checked without Docker: the TypeScript build and a production-only
 * install (`npm ci --omit=dev --ignore-scripts`, as in the Dockerfile's runtime stage) in a folder
 * of their own: `node dist/api/src/migrate.js` migrates an empty database as its owner (the deploy's
 * step), then the image's command (the Dockerfile's CMD, its Node options included) serves as the
 * API's role.
 */
import assert from "node:assert/strict";
import { ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../local/embedded-postgres";
import knex from "knex";
import { imageCommand } from "../../shared/testing/image-command";
import { serviceRoleUrls, testPostgres } from "../../shared/testing/test-database";
import { aRegistration } from "./support/builders";
import { eventually } from "./support/eventually";
import { testApiEnv } from "./support/running-api";

const ROOT = path.resolve(__dirname, "..", "..");
const run = promisify(execFile);

describe("the production build (what the Docker image runs)", function () {
  this.timeout(90_000);
  let image: string;
  let api: ChildProcess;
  let url: string;
  let stderr = "";

  before(async () => {
    image = await mkdtemp(path.join(os.tmpdir(), "ecom-image-"));
    await run("npm", ["run", "build", "--", "--outDir", path.join(image, "dist")], { cwd: ROOT });
    for (const file of ["package.json", "package-lock.json"]) await copyFile(path.join(ROOT, file), path.join(image, file));
    await run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: image });

    // An empty database: the compiled migrations must create the schema and the roles, as on a new stack.
    const postgres = await testPostgres();
    const database = `image_${path.basename(image).replace(/\W/g, "_").toLowerCase()}`;
    await postgres.createDatabase(database);
    const production = { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "silent" };
    await run(process.execPath, ["dist/api/src/migrate.js"], { cwd: image, env: { ...production, DATABASE_URL: postgres.url(database) } });
    const owner = knex({ client: "pg", connection: postgres.url(database), pool: { min: 0, max: 1 } });
    const roles = await serviceRoleUrls(owner, postgres.url(database)).finally(() => owner.destroy());
    const port = await freePort();
    url = `http://localhost:${port}`;
    // SNS has no local endpoint: the relay's publications fail fast against a closed port and the
    // events wait in the outbox, which is all this test needs.
    const aws = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_ENDPOINT_URL_SNS: "http://127.0.0.1:9" };
    const { nodeOptions, entry } = imageCommand();
    api = spawn(process.execPath, [...nodeOptions, entry], {
      cwd: image,
      env: { ...production, ...testApiEnv(roles.api, { PORT: String(port), APP_ENV: "local", ...aws }) },
      stdio: ["ignore", "ignore", "pipe"],
    });
    api.stderr!.on("data", (chunk) => (stderr += chunk));
  });

  after(async () => {
    if (api?.exitCode === null) api.kill("SIGKILL");
    if (image) await rm(image, { recursive: true, force: true });
  });

  it("when the built server starts with production dependencies only, then /health answers 200 and Swagger UI is served", async () => {
    await eventually(
      async () => {
        if (api.exitCode !== null) throw new Error(`the server exited (${api.exitCode}): ${stderr}`);
        return (await fetch(`${url}/health`).catch(() => undefined))?.status === 200;
      },
      30_000,
      "/health answering 200",
    );

    assert.equal((await fetch(`${url}/health/ready`)).status, 200);
    const docs = await fetch(`${url}/docs/`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /swagger-ui/i);
  });

  it("when a customer registers, then the compiled migrations have created the schema and the API's role on the empty database", async () => {
    const response = await fetch(`${url}/customer-registration`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(aRegistration()),
    });

    assert.equal(response.status, 201, await response.text());
  });

  it("when the server gets SIGTERM, as ECS sends on every deploy, then it drains and exits 0", async () => {
    const exited = once(api, "exit");
    api.kill("SIGTERM");
    const [code] = await exited;

    assert.equal(code, 0, stderr);
  });
});
