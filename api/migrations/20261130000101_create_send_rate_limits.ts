import { Knex } from "knex";

/**
 * The account's SES sending rate, shared by every sender (each campaign function instance, the
 * local platform): a token bucket per name, refilled by elapsed time whenever it is read. SES
 * quotas are per account, so pacing is decided here rather than in each instance.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("send_rate_limits", (t) => {
    t.string("name", 50).primary();
    t.double("tokens").notNullable();
    t.timestamp("refilled_at", { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("send_rate_limits");
}
