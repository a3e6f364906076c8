/**
 * The services' roles can do no more than their grants (api/src/database-roles/role-grants.ts).
 * That the grants are enough is what every other suite shows: the API and the campaign function
 * under test connect as these roles.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import knex, { Knex } from "knex";
import { LocalQueues } from "../../local/aws/queues";
import { DATABASE_ROLES } from "../../shared/src/database-roles";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { ROLE_GRANTS, TABLES_NO_SERVICE_TOUCHES } from "../src/database-roles/role-grants";
import { migrateToLatest } from "../src/migrate";
import { storeCustomer } from "./support/builders";
import { startOwnPostgres } from "./support/running-api";

const INSUFFICIENT_PRIVILEGE = "42501";
const refused = (statement: Promise<unknown>) => assert.rejects(statement, { code: INSUFFICIENT_PRIVILEGE });

describe("the services' database roles", () => {
  let database: TestDatabase;
  let customerId: string;
  before(async () => {
    database = await createTestDatabase();
    await LocalQueues.open(database.db, []); // the local stand-ins' schema, beside the platform's
    customerId = (await storeCustomer(database.db)).id;
  });
  after(() => database.destroy());

  it("when the API's role tries to create, alter, drop or empty a table, or create a schema or a temporary table, then PostgreSQL refuses", async () => {
    const api = database.apiDb;

    await refused(api.raw("CREATE TABLE public.intruder (id int)"));
    await refused(api.raw("ALTER TABLE customers ADD COLUMN intruder text"));
    await refused(api.raw("DROP TABLE customers"));
    await refused(api.raw("TRUNCATE outbox"));
    await refused(api.raw("CREATE INDEX intruder ON customers (phone)"));
    await refused(api.raw("CREATE SCHEMA intruder"));
    await refused(api.raw("CREATE TEMPORARY TABLE intruder (id int)"));
    await refused(api.raw("CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'"));
  });

  it("when the API's role reads outside its tables (the local stand-ins' schema, superuser catalogs, the campaign function's table), then PostgreSQL refuses", async () => {
    const api = database.apiDb;

    await refused(api.raw("SELECT * FROM local_aws.queue_messages"));
    await refused(api.raw("SELECT rolname, rolpassword FROM pg_authid"));
    await refused(api.raw("SELECT * FROM send_rate_limits"));
    await refused(api.raw("SELECT * FROM knex_migrations_lock"));
    await refused(api.raw("SELECT pg_read_file('postgresql.conf')"));
  });

  it("when the API's role changes a customer's contact details or a suppression's reason, then PostgreSQL refuses: it may change consent and lift suppressions only", async () => {
    const api = database.apiDb;

    await refused(api("customers").where({ id: customerId }).update({ email: "someone.else@example.com" }));
    await refused(api("customers").where({ id: customerId }).update({ is_active: false }));
    await refused(api("suppressions").insert({ email_hash: "0".repeat(64), reason: "bounce" }));
    await refused(api("welcome_emails").insert({ customer_id: customerId, event_id: customerId }));
    assert.equal(await api("customers").where({ id: customerId }).update({ marketing_opt_in: true }), 1);
  });

  it("when the campaign function's role writes campaigns, reads the outbox or changes more than consent, then PostgreSQL refuses", async () => {
    const campaign = database.campaignDb;

    await refused(campaign("campaigns").insert({ name: "n", description: "d", offer: "o", starts_at: new Date() }));
    await refused(campaign("campaigns").update({ offer: "100% off" }));
    await refused(campaign("campaigns").delete());
    await refused(campaign("outbox").select("*"));
    await refused(campaign("customers").where({ id: customerId }).update({ email: "someone.else@example.com" }));
    await refused(campaign("customers").where({ id: customerId }).delete());
    await refused(campaign("broadcasts").update({ cancelled_at: new Date() }));
    await refused(campaign.raw("CREATE TABLE public.intruder (id int)"));
    await refused(campaign.raw("SELECT * FROM local_aws.queue_messages"));
  });

  it("when the roles' attributes are read, then neither is a superuser, nor may create roles or databases, replicate or bypass row security", async () => {
    const roles = await database.db("pg_roles").whereIn("rolname", Object.values(DATABASE_ROLES)).select("*");

    assert.equal(roles.length, 2);
    for (const role of roles) {
      assert.deepEqual(
        [role.rolsuper, role.rolcreaterole, role.rolcreatedb, role.rolreplication, role.rolbypassrls, role.rolcanlogin],
        [false, false, false, false, false, true],
        role.rolname,
      );
    }
    await refused(database.apiDb.raw("CREATE ROLE intruder LOGIN"));
    await refused(database.campaignDb.raw("CREATE DATABASE intruder"));
  });

  it("when the schema is read, then every table and id sequence is in the grants or explicitly given to no service, and every granted one exists", async () => {
    const tables: string[] = await database.db("information_schema.tables").where({ table_schema: "public" }).pluck("table_name");
    const sequences: string[] = await database.db("information_schema.sequences").where({ sequence_schema: "public" }).pluck("sequence_name");
    const granted = new Set(Object.values(ROLE_GRANTS).flatMap((g) => Object.keys(g.tables)));
    const grantedSequences = new Set(Object.values(ROLE_GRANTS).flatMap((g) => g.sequences));

    assert.deepEqual(tables.filter((t) => !granted.has(t) && !TABLES_NO_SERVICE_TOUCHES.includes(t)), [], "tables nobody decided about");
    assert.deepEqual([...granted].filter((t) => !tables.includes(t)), [], "granted tables that do not exist");
    assert.deepEqual([...grantedSequences].filter((s) => !sequences.includes(s)), [], "granted sequences that do not exist");
  });

  it("when a role holds a privilege the list does not give it, then the next migration run takes it away", async () => {
    await database.db.raw("GRANT INSERT ON send_rate_limits, campaigns TO ??", [DATABASE_ROLES.api]);
    await database.db.raw("GRANT UPDATE ON customers TO ??", [DATABASE_ROLES.campaign]);

    await migrateToLatest(database.db);

    const has = async (role: string, table: string, privilege: string) =>
      (await database.db.raw("SELECT has_table_privilege(?, ?, ?) AS has", [role, table, privilege])).rows[0].has as boolean;
    assert.equal(await has(DATABASE_ROLES.api, "send_rate_limits", "INSERT"), false);
    assert.equal(await has(DATABASE_ROLES.api, "campaigns", "INSERT"), true, "listed: still granted");
    assert.equal(await has(DATABASE_ROLES.campaign, "customers", "UPDATE"), false);
  });
});

describe("creating the roles", () => {
  it("when several databases of one server are migrated at once, then each run succeeds and each role exists once", async function () {
    this.timeout(60_000);
    const own = await startOwnPostgres(); // fresh: no role exists yet
    const opened: Knex[] = [];
    try {
      const names = Array.from({ length: 4 }, () => `roles_${randomBytes(4).toString("hex")}`);
      for (const name of names) await own.server.createDatabase(name);
      const dbs = names.map((name) => knex({ client: "pg", connection: own.server.url(name), pool: { min: 0, max: 4 } }));
      opened.push(...dbs);

      await Promise.all(dbs.map((db) => migrateToLatest(db)));

      const { rows } = await dbs[0].raw("SELECT rolname FROM pg_roles WHERE rolname = ANY(?) ORDER BY rolname", [Object.values(DATABASE_ROLES)]);
      assert.deepEqual(rows.map((r: { rolname: string }) => r.rolname), Object.values(DATABASE_ROLES).sort());
      for (const db of dbs) {
        const { rows: grants } = await db.raw("SELECT has_table_privilege(?, 'customers', 'INSERT') AS has", [DATABASE_ROLES.api]);
        assert.equal(grants[0].has, true);
      }
    } finally {
      await Promise.all(opened.map((db) => db.destroy()));
      await own.remove();
    }
  });
});
