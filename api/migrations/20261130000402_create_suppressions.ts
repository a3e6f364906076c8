import { Knex } from "knex";

/**
 * Addresses that must never be emailed again: SES reported a permanent bounce or a complaint.
 * Kept by the SHA-256 of the normalised address, not the address: a suppression outlives the
 * customer's erasure (a re-registered bouncing address must stay suppressed) without keeping
 * anything readable. `customers.email_hash` is the same hash, so the audience query anti-joins on
 * an index. A suppression is active while `lifted_at` is null.
 */
export async function up(knex: Knex): Promise<void> {
  // convert_to() is only "stable" (it depends on the encoding); the database's encoding is fixed
  // (UTF-8) for its life, which makes this function immutable in fact, as a generated column needs.
  await knex.raw(`
    CREATE FUNCTION email_hash(address text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT encode(sha256(convert_to(address, 'UTF8')), 'hex') $$`);
  // Emails are stored trimmed and lower-cased (a check constraint): hashing them as stored is the normal form.
  await knex.raw("ALTER TABLE customers ADD COLUMN email_hash text NOT NULL GENERATED ALWAYS AS (email_hash(email)) STORED");
  await knex.schema.createTable("suppressions", (t) => {
    t.string("email_hash", 64).primary();
    t.string("reason", 20).notNullable();
    // SES's bounce type/subtype or complaint feedback type; never the address.
    t.string("detail", 200).nullable();
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("lifted_at", { useTz: true }).nullable();
  });
  await knex.raw("ALTER TABLE suppressions ADD CONSTRAINT suppressions_reason CHECK (reason IN ('bounce', 'complaint'))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("suppressions");
  await knex.schema.alterTable("customers", (t) => t.dropColumn("email_hash"));
  await knex.raw("DROP FUNCTION email_hash(text)");
}
