import { Knex } from "knex";
import { AppError } from "../../../shared/src/app-error";
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

const FOREIGN_KEY_VIOLATION = "23503";

/**
 * False when there is no such campaign. A campaign that has broadcasts is kept (409): they record
 * whom it was sent to, and their foreign key, not a read-then-delete check, decides it.
 */
export async function deleteCampaign(db: Knex, id: string): Promise<boolean> {
  try {
    return (await db("campaigns").where({ id }).delete()) > 0;
  } catch (err) {
    if ((err as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw err;
    throw new AppError("campaign-has-broadcasts", "The campaign has broadcasts, so it cannot be deleted", { status: 409, cause: err });
  }
}
