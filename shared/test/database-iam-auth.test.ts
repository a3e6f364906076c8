import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import knex, { Knex } from "knex";
import pino from "pino";
import { createDatabase, Database, rdsAuthTokens, TokenTarget } from "../src/database";
import { setEnvironment } from "../testing/environment";
import { testPostgres } from "../testing/test-database";

// RDS IAM authentication cannot exist here: PostgreSQL checks a password instead. The token
// signer is replaced by one that hands out the role's current password, which the test changes
// as a token would change; the connections themselves are real.
describe("database connections with IAM authentication tokens", () => {
  const role = `iam_${randomBytes(4).toString("hex")}`;
  const signed: TokenTarget[] = [];
  let token = "first-token-0123456789";
  let admin: Knex;
  let db: Database;
  let port: number;

  before(async () => {
    const postgres = await testPostgres();
    port = postgres.port;
    const database = `iam_${randomBytes(4).toString("hex")}`;
    await postgres.createDatabase(database);
    admin = knex({ client: "pg", connection: postgres.url(database) });
    await admin.raw(`CREATE ROLE ${role} LOGIN PASSWORD '${token}'`);
    db = createDatabase(
      { kind: "iam", host: "localhost", port, database, user: role, ssl: false, poolMax: 2 },
      {
        region: "us-east-1",
        logger: pino({ level: "silent" }),
        signAuthToken: async (target) => {
          signed.push(target);
          return token;
        },
      },
    );
  });
  after(async () => {
    await db?.destroy();
    await admin?.destroy();
  });

  it("when a connection opens, then it logs in as the configured user with a token signed for that user and endpoint", async () => {
    const { rows } = await db.raw("SELECT current_user AS u");

    assert.equal(rows[0].u, role);
    assert.deepEqual(signed, [{ host: "localhost", port, user: role }]);
  });

  it("when a new connection opens after the last token expired, then it gets a fresh token and succeeds", async () => {
    token = "second-token-0123456789";
    await admin.raw(`ALTER ROLE ${role} PASSWORD '${token}'`); // the first token no longer lets anyone in
    await admin.raw("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ?", [role]);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const { rows } = await db.raw("SELECT current_user AS u");

    assert.equal(rows[0].u, role);
    assert.equal(signed.length, 2);
  });
});

describe("IAM authentication tokens from RDS's signer", () => {
  let restore: () => void;
  before(() => {
    // The signer reads the process's AWS credentials as on ECS and Lambda; static ones here.
    restore = setEnvironment({ AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret-example", AWS_SESSION_TOKEN: "session-example" });
  });
  after(() => restore());

  it("when a token is signed, then it is an rds-db connect request for that endpoint, user and region, valid 15 minutes", async () => {
    const token = await rdsAuthTokens("eu-west-1")({ host: "db.abc.eu-west-1.rds.amazonaws.com", port: 5432, user: "ecom_api" });

    const url = new URL(`https://${token}`);
    assert.equal(url.host, "db.abc.eu-west-1.rds.amazonaws.com:5432");
    assert.equal(url.searchParams.get("Action"), "connect");
    assert.equal(url.searchParams.get("DBUser"), "ecom_api");
    assert.match(url.searchParams.get("X-Amz-Credential") ?? "", /^AKIAEXAMPLE\/\d{8}\/eu-west-1\/rds-db\/aws4_request$/);
    assert.equal(url.searchParams.get("X-Amz-Expires"), "900");
  });
});
