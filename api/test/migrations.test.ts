import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import knex, { Knex } from "knex";
import { migrateToLatest, migrationConfig } from "../src/migrate";
import { testPostgres } from "../../shared/testing/test-database";

/** A database with nothing in it, on the shared test server; closed by the caller. */
async function anEmptyDatabase(): Promise<Knex> {
  const postgres = await testPostgres();
  const name = `empty_${randomBytes(6).toString("hex")}`;
  await postgres.createDatabase(name);
  return knex({ client: "pg", connection: postgres.url(name), pool: { min: 0, max: 4 } });
}

// Recorded without extension, so the repository (.ts) and the image (.js) agree on what ran.
const migrationFiles = async () =>
  (await readdir(path.join(__dirname, "..", "migrations")))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.replace(/\.ts$/, ""))
    .sort();
const appliedNames = async (db: Knex) => (await db("knex_migrations").orderBy("id")).map((m: { name: string }) => m.name);

describe("migrations", () => {
  const opened: Knex[] = [];
  const emptyDatabase = async () => {
    const db = await anEmptyDatabase();
    opened.push(db);
    return db;
  };
  after(() => Promise.all(opened.map((db) => db.destroy())));

  it("when applied to an empty database, then every migration runs once, in order", async () => {
    const db = await emptyDatabase();

    const applied = await migrateToLatest(db);

    const files = await migrationFiles();
    assert.deepEqual(applied, files);
    assert.deepEqual(await appliedNames(db), files);
    for (const table of ["customers", "campaigns", "outbox"]) assert.ok(await db.schema.hasTable(table), table);
  });

  it("when applied, then customers has a unique index on email and a check that it is stored normalised", async () => {
    const db = await emptyDatabase();

    await migrateToLatest(db);

    const index = await db("pg_indexes").where({ tablename: "customers", indexname: "customers_email_unique" }).first();
    assert.match(index.indexdef, /CREATE UNIQUE INDEX .* \(email\)/);
    const check = await db("pg_constraint").where({ conname: "customers_email_normalised", contype: "c" }).first();
    assert.ok(check, "check constraint customers_email_normalised");
    const insert = (email: string) =>
      db("customers").insert({ first_name: "A", last_name: "B", email, phone: "1234567", province: "P", city: "C", postal_code: "A1A" });
    await insert("jane@example.com");
    await assert.rejects(insert("jane@example.com"), { code: "23505" });
    await assert.rejects(insert("Other@Example.com"), { code: "23514" });
    await assert.rejects(insert(" other@example.com"), { code: "23514" });
  });

  it("when applied a second time, then nothing runs and the schema is unchanged", async () => {
    const db = await emptyDatabase();
    await migrateToLatest(db);

    const again = await migrateToLatest(db);

    assert.deepEqual(again, []);
    assert.deepEqual(await appliedNames(db), await migrationFiles());
  });

  it("when two tasks start at once on an empty database, then each migration runs exactly once and both start", async () => {
    const first = await emptyDatabase();
    const url = (first.client.config as { connection: string }).connection;
    const second = knex({ client: "pg", connection: url, pool: { min: 0, max: 4 } });
    opened.push(second);

    const [a, b] = await Promise.all([migrateToLatest(first), migrateToLatest(second)]);

    const files = await migrationFiles();
    assert.deepEqual([...a, ...b].sort(), files, "together they applied each migration once");
    assert.deepEqual(await appliedNames(first), files);
  });

  it("when every migration is rolled back, then the tables are gone and the migrations apply again", async () => {
    const db = await emptyDatabase();
    await migrateToLatest(db);

    await db.migrate.rollback(migrationConfig, true);

    assert.equal(await db.schema.hasTable("customers"), false);
    assert.equal(await db.schema.hasTable("outbox"), false);
    assert.deepEqual(await migrateToLatest(db), await migrationFiles());
  });
});
