import { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("campaigns", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.string("name", 120).notNullable();
    t.string("description", 2000).notNullable();
    t.string("offer", 500).notNullable();
    t.string("discount_code", 40).nullable();
    t.timestamp("starts_at", { useTz: true }).notNullable();
    t.timestamp("ends_at", { useTz: true }).nullable();
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["starts_at", "ends_at"], "campaigns_period");
  });
  await knex.raw("ALTER TABLE campaigns ADD CONSTRAINT campaigns_period_valid CHECK (ends_at IS NULL OR ends_at > starts_at)");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("campaigns");
}
