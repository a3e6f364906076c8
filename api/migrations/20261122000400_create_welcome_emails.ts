import { Knex } from "knex";

/**
 * One row per customer who was sent the welcome email: the campaign service's proof that it sent
 * it. The primary key on the customer id is what makes the email go out once however often the
 * event is delivered: a delivery claims the row before sending, and a concurrent delivery of the
 * same event waits on that uncommitted row, then finds it and sends nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("welcome_emails", (t) => {
    t.uuid("customer_id").primary().references("id").inTable("customers").onDelete("CASCADE");
    t.uuid("event_id").notNullable(); // the delivery that sent it, to trace a redelivery back
    // Null only inside the claiming transaction, which sets it before committing.
    t.string("ses_message_id", 200).nullable();
    t.timestamp("sent_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("welcome_emails");
}
