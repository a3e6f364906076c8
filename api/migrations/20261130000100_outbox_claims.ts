import { Knex } from "knex";

/**
 * Several relays publish the outbox in batches, without a global order (SNS standard topics and
 * Lambda keep none anyway). Each unpublished event says when it may next be claimed: at once for a
 * new event, after a lease while a relay publishes it (a relay that dies mid-publish lets it go
 * again), after a backoff when its publication failed. Published events are pruned by age.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("outbox", (t) => {
    t.timestamp("available_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("DROP INDEX outbox_pending");
  await knex.raw("CREATE INDEX outbox_due ON outbox (available_at) WHERE published_at IS NULL");
  await knex.raw("CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP INDEX outbox_published");
  await knex.raw("DROP INDEX outbox_due");
  await knex.raw("CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL");
  await knex.schema.alterTable("outbox", (t) => t.dropColumn("available_at"));
}
