/**
 * The migrator function as Lambda runs it: the esbuild bundle, loaded where only the runtime's SDK
 * clients exist, its handler invoked against a real PostgreSQL given as DATABASE_URL (on AWS: the
 * RDS endpoint and master secret). The migrations inside come from the folder at build time.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import knex, { Knex } from "knex";
import { DATABASE_ROLES } from "../../shared/src/database-roles";
import { lambdaRuntimeModules } from "../../shared/testing/lambda-runtime";
import { testPostgres } from "../../shared/testing/test-database";
import { buildMigratorBundle, migrationFileNames } from "../migrator-bundle";

const INVOKE = `require(process.env.BUNDLE).handler({}).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stderr.write(e.message); process.exit(1); })`;

describe("the migrator function's bundle", function () {
  this.timeout(60_000);
  let dir: string;
  let runtime: string;
  let bundle: string;
  let url: string;
  let db: Knex;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ecom-migrator-"));
    runtime = await lambdaRuntimeModules();
    bundle = await buildMigratorBundle(dir);
    const postgres = await testPostgres();
    const name = `migrator_${randomBytes(4).toString("hex")}`;
    await postgres.createDatabase(name);
    url = postgres.url(name);
    db = knex({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
  });
  after(async () => {
    await db?.destroy();
    await rm(dir, { recursive: true, force: true });
    await rm(runtime, { recursive: true, force: true });
  });

  const invoke = async (env: Record<string, string>) => {
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", INVOKE], {
      env: { PATH: process.env.PATH ?? "", NODE_PATH: runtime, BUNDLE: bundle, LOG_LEVEL: "silent", ...env },
    });
    return JSON.parse(stdout) as { applied: string[] };
  };

  it("when invoked on an empty database, then it applies every migration of api/migrations, in order, and the roles' grants", async () => {
    const result = await invoke({ DATABASE_URL: url });

    assert.deepEqual(result.applied, (await migrationFileNames()).map((file) => file.replace(/\.ts$/, "")));
    const { rows } = await db.raw("SELECT has_table_privilege(?, 'customers', 'INSERT') AS api, has_table_privilege(?, 'campaigns', 'INSERT') AS campaign", [
      DATABASE_ROLES.api,
      DATABASE_ROLES.campaign,
    ]);
    assert.deepEqual(rows[0], { api: true, campaign: false });
  });

  it("when invoked again, then it applies nothing and succeeds", async () => {
    assert.deepEqual(await invoke({ DATABASE_URL: url }), { applied: [] });
  });

  it("when its configuration is incomplete, then the invocation fails naming the variable (and the deploy with it)", async () => {
    await assert.rejects(invoke({ DB_HOST: "db.internal", DB_NAME: "ecom" }), (err: { stderr: string }) => {
      assert.match(err.stderr, /DB_SECRET_ARN/);
      return true;
    });
  });
});
