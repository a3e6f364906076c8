import { Knex } from "knex";

/**
 * Double opt-in. `marketing_opt_in` keeps its meaning (the customer asked for offers and has not
 * withdrawn); the consent is *confirmed* once the address's owner followed the confirmation link
 * (or subscribed again from an unsubscribe page, which is the same proof). Broadcasts select
 * `marketing_consent_confirmed`. Every change is recorded in `marketing_consent_events`, the record
 * of consent CASL and GDPR ask for. Customers who opted in before this migration are pending:
 * nobody confirmed their address.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("customers", (t) => {
    t.timestamp("marketing_consent_requested_at", { useTz: true }).nullable();
    t.timestamp("marketing_consent_confirmed_at", { useTz: true }).nullable();
  });
  await knex.raw(`
    ALTER TABLE customers ADD COLUMN marketing_consent_confirmed boolean NOT NULL
      GENERATED ALWAYS AS (marketing_opt_in AND marketing_consent_confirmed_at IS NOT NULL) STORED`);
  // Broadcasts walk the confirmed audience in id order; registrations (never confirmed yet) add no entry.
  await knex.raw("CREATE INDEX customers_marketing_confirmed ON customers (id) WHERE marketing_consent_confirmed");

  await knex.schema.createTable("marketing_consent_events", (t) => {
    t.bigIncrements("id");
    t.uuid("customer_id").notNullable().references("id").inTable("customers").onDelete("CASCADE");
    t.string("action", 20).notNullable();
    // How: registration, confirmation-link, unsubscribe-link, resubscribe-link.
    t.string("source", 40).notNullable();
    t.timestamp("occurred_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["customer_id", "occurred_at"], "marketing_consent_events_customer");
  });
  await knex.raw(`
    ALTER TABLE marketing_consent_events ADD CONSTRAINT marketing_consent_events_action
      CHECK (action IN ('requested', 'confirmed', 'withdrawn'))`);

  await knex.raw("UPDATE customers SET marketing_consent_requested_at = created_at WHERE marketing_opt_in");
  await knex.raw(`
    INSERT INTO marketing_consent_events (customer_id, action, source, occurred_at)
    SELECT id, 'requested', 'registration', created_at FROM customers WHERE marketing_opt_in`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("marketing_consent_events");
  await knex.schema.alterTable("customers", (t) => {
    t.dropColumn("marketing_consent_confirmed");
    t.dropColumn("marketing_consent_confirmed_at");
    t.dropColumn("marketing_consent_requested_at");
  });
}
