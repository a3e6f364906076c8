import { Knex } from "knex";
import { CampaignStatus, whereCampaignStatus } from "../../../shared/src/campaign-status";
import { CampaignFields } from "./schema";

export interface Campaign extends CampaignFields {
  id: string;
  created_at: Date;
  updated_at: Date;
}

export async function insertCampaign(db: Knex, fields: CampaignFields): Promise<Campaign> {
  const [campaign] = await db<Campaign>("campaigns").insert(fields).returning("*");
  return campaign;
}

export async function listCampaigns(
  db: Knex,
  filter: { status?: CampaignStatus; limit: number; offset: number },
  now: Date,
): Promise<Campaign[]> {
  const query = db<Campaign>("campaigns").select("*").orderBy([{ column: "starts_at" }, { column: "id" }]);
  if (filter.status) whereCampaignStatus(query, filter.status, now);
  return query.limit(filter.limit).offset(filter.offset);
}

export async function findCampaign(db: Knex | Knex.Transaction, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db<Campaign>("campaigns").where({ id }).first();
  return (options.forUpdate ? query.forUpdate() : query) as Promise<Campaign | undefined>;
}

export async function updateCampaign(trx: Knex.Transaction, id: string, fields: Partial<CampaignFields>): Promise<Campaign> {
  const [campaign] = await trx<Campaign>("campaigns")
    .where({ id })
    .update({ ...fields, updated_at: trx.fn.now() as unknown as Date })
    .returning("*");
  return campaign;
}

export async function deleteCampaign(db: Knex, id: string): Promise<boolean> {
  return (await db("campaigns").where({ id }).delete()) > 0;
}
