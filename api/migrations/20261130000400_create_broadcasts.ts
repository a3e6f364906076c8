import { Knex } from "knex";

/**
 * A broadcast announces a campaign to a segment of the customers who confirmed marketing consent.
 * The API records it; the broadcast function enumerates its recipients page by page
 * (`targeted`, `enumerated`) and sends. A campaign with broadcasts cannot be deleted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("broadcasts", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("campaign_id").notNullable().references("id").inTable("campaigns").onDelete("RESTRICT");
    // { provinces?, cities?, registered_after?, registered_before? }, stored normalised.
    t.jsonb("segment").notNullable();
    t.string("status", 20).notNullable().defaultTo("sending");
    t.integer("targeted").notNullable().defaultTo(0);
    t.boolean("enumerated").notNullable().defaultTo(false);
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("started_at", { useTz: true }).nullable();
    t.timestamp("finished_at", { useTz: true }).nullable();
    t.timestamp("cancelled_at", { useTz: true }).nullable();
    t.index(["campaign_id"], "broadcasts_campaign");
  });
  await knex.raw("ALTER TABLE broadcasts ADD CONSTRAINT broadcasts_status CHECK (status IN ('sending', 'cancelled', 'finished'))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("broadcasts");
}
