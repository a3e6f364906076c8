import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import knex, { Knex } from "knex";
import pino from "pino";
import { createDatabase, Database } from "../src/database";
import { testPostgres } from "../testing/test-database";

// Secrets Manager has no local endpoint here, so its client is replaced by aws-sdk-client-mock and
// serves the secret RDS would hold. The database is a real PostgreSQL that enforces the password.
describe("database credentials from Secrets Manager", () => {
  const secrets = mockClient(SecretsManagerClient);
  const role = `app_${randomBytes(4).toString("hex")}`;
  let password = "first-password";
  let admin: Knex;
  let db: Database;

  before(async () => {
    const postgres = await testPostgres();
    const database = `creds_${randomBytes(4).toString("hex")}`;
    await postgres.createDatabase(database);
    admin = knex({ client: "pg", connection: postgres.url(database) });
    await admin.raw(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    secrets.on(GetSecretValueCommand).callsFake(async () => ({ SecretString: JSON.stringify({ username: role, password }) }));
    db = createDatabase(
      { kind: "secret", host: "localhost", port: postgres.port, database, secretArn: "arn:aws:secretsmanager:us-east-1:000000000000:secret:rds", ssl: false, poolMax: 2 },
      { region: "us-east-1", logger: pino({ level: "silent" }) },
    );
  });
  after(async () => {
    await db?.destroy();
    await admin?.destroy();
    secrets.restore();
  });

  it("when queries run, then the secret is read once and its credentials are used", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await db.raw("SELECT current_user AS u")).rows[0].u, role);

    assert.equal(secrets.commandCalls(GetSecretValueCommand).length, 1);
  });

  it("when the password is rotated, then the next query still succeeds, after reading the secret again", async () => {
    password = "second-password";
    await admin.raw(`ALTER ROLE ${role} PASSWORD '${password}'`);
    // Open connections outlive a rotation; new ones need the new password. Force new ones.
    await admin.raw("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ?", [role]);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const { rows } = await db.raw("SELECT current_user AS u");

    assert.equal(rows[0].u, role);
    assert.equal(secrets.commandCalls(GetSecretValueCommand).length, 2);
  });
});
