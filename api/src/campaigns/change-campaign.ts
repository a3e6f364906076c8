import { Knex } from "knex";
import { AppError } from "../../../shared/src/app-error";
import { Campaign, findCampaign, updateCampaign } from "./repository";
import { CampaignFields } from "./schema";

export function campaignNotFound(id: string): AppError {
  return new AppError("not-found", `No campaign with id ${id}`, { status: 404 });
}

/** Applies a partial change; the resulting period must still end after it starts. */
export async function changeCampaign(db: Knex, id: string, changes: Partial<CampaignFields>): Promise<Campaign> {
  return db.transaction(async (trx) => {
    const current = await findCampaign(trx, id, { forUpdate: true });
    if (!current) throw campaignNotFound(id);
    const startsAt = changes.starts_at ?? current.starts_at;
    const endsAt = changes.ends_at !== undefined ? changes.ends_at : current.ends_at;
    if (endsAt && endsAt <= startsAt) {
      throw new AppError("validation-failed", "The request body is invalid", {
        status: 400,
        details: [{ field: changes.ends_at !== undefined ? "ends_at" : "starts_at", message: "ends_at must be after starts_at" }],
      });
    }
    return updateCampaign(trx, id, changes);
  });
}
