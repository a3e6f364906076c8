import { Knex } from "knex";

/**
 * What SES reported about sent emails (bounces, complaints, deliveries), one row per event, for
 * counts (transient bounces) and for an admin's "why is this address suppressed". Keyed by the
 * address's hash; pruned after the personal-data retention period.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("ses_events", (t) => {
    // SES's feedback id, or its message id with the event type: a redelivered notification is stored once.
    t.string("id", 300).primary();
    t.string("event_type", 20).notNullable();
    t.string("email_hash", 64).notNullable();
    t.string("detail", 200).nullable();
    t.timestamp("occurred_at", { useTz: true }).notNullable();
    t.timestamp("received_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["email_hash"], "ses_events_email");
    t.index(["received_at"], "ses_events_received");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("ses_events");
}
