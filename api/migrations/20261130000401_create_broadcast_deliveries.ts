import { Knex } from "knex";

/**
 * One row per recipient of a broadcast. The primary key is what makes a broadcast reach a customer
 * at most once, however often its messages are delivered and however often it is relaunched: a
 * send claims the row (`queued` → `sending`) in the transaction that sends and records the email.
 * No address or name here: personal data stays in `customers`, and goes with it on erasure.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("broadcast_deliveries", (t) => {
    t.uuid("broadcast_id").notNullable().references("id").inTable("broadcasts").onDelete("CASCADE");
    t.uuid("customer_id").notNullable().references("id").inTable("customers").onDelete("CASCADE");
    t.string("status", 20).notNullable().defaultTo("queued");
    t.string("ses_message_id", 200).nullable();
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(["broadcast_id", "customer_id"]);
    t.index(["broadcast_id", "status"], "broadcast_deliveries_progress");
    t.index(["customer_id"], "broadcast_deliveries_customer");
  });
  await knex.raw(`
    ALTER TABLE broadcast_deliveries ADD CONSTRAINT broadcast_deliveries_status
      CHECK (status IN ('queued', 'sending', 'sent', 'suppressed', 'skipped', 'failed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("broadcast_deliveries");
}
