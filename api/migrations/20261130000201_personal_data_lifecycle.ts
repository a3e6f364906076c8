import { Knex } from "knex";

/**
 * What erasure and retention need. `erased_customers` keeps one unlinkable row per erased customer
 * (no id, no address: the month they registered and when they were erased), so registration counts
 * stay right. The index lets the retention job find published outbox events past their retention
 * without scanning the table.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("erased_customers", (t) => {
    t.bigIncrements("id");
    t.date("registered_month").notNullable(); // the first day of the month, UTC
    t.timestamp("erased_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP INDEX outbox_published_at");
  await knex.schema.dropTable("erased_customers");
}
