import { Knex } from "knex";
import { whereCampaignStatus } from "../../../shared/src/campaign-status";

/** What the welcome email shows of a campaign. */
export interface OngoingCampaign {
  name: string;
  offer: string;
  discount_code: string | null;
  ends_at: Date | null;
}

/** Ongoing campaigns, those ending soonest first (open-ended ones last), then by name. */
export async function loadOngoingCampaigns(db: Knex | Knex.Transaction, now: Date): Promise<OngoingCampaign[]> {
  const query = db("campaigns")
    .select("name", "offer", "discount_code", "ends_at")
    .orderByRaw("ends_at ASC NULLS LAST")
    .orderBy("name");
  return whereCampaignStatus(query, "ongoing", now);
}
