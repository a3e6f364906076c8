import { Knex } from "knex";

/**
 * Welcome emails before broadcasts on the account's one SES quota: a welcome sender that had to
 * wait for a token says when in the bucket's row, and broadcast senders stand back for a second
 * after that (campaign/src/email/send-rate-limiter.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("send_rate_limits", (t) => {
    t.timestamp("welcome_waited_at", { useTz: true }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("send_rate_limits", (t) => t.dropColumn("welcome_waited_at"));
}
