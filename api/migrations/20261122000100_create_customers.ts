import { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("customers", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.string("first_name", 100).notNullable();
    t.string("last_name", 100).notNullable();
    // Always stored trimmed and lower-cased by the API; the unique index makes duplicates impossible
    // even for concurrent registrations, and the check constraint keeps other writers honest.
    t.string("email", 254).notNullable().unique({ indexName: "customers_email_unique" });
    t.string("phone", 20).notNullable();
    t.string("province", 100).notNullable();
    t.string("city", 100).notNullable();
    t.string("postal_code", 10).notNullable();
    t.boolean("is_active").notNullable().defaultTo(true);
    t.boolean("marketing_opt_in").notNullable().defaultTo(false);
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("ALTER TABLE customers ADD CONSTRAINT customers_email_normalised CHECK (email = lower(btrim(email)))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("customers");
}
