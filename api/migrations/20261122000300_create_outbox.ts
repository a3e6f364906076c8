import { Knex } from "knex";

/**
 * Transactional outbox: an event is written in the same transaction as the change it announces,
 * and the relay publishes it afterwards. Nothing is announced that was not committed, and nothing
 * committed goes unannounced.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("outbox", (t) => {
    t.uuid("id").primary(); // the event id
    t.bigIncrements("seq", { primaryKey: false }); // publication order
    t.string("event_type", 100).notNullable();
    t.text("payload").notNullable(); // JSON text, published byte for byte
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("published_at", { useTz: true }).nullable();
    t.integer("attempts").notNullable().defaultTo(0);
    t.text("last_error").nullable();
  });
  await knex.raw("CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("outbox");
}
