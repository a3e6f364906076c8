import { CampaignStatus } from "../../../shared/src/campaign-status";
import { Campaign } from "./repository";

export interface CampaignResponse {
  id: string;
  name: string;
  description: string;
  offer: string;
  discount_code: string | null;
  starts_at: string;
  ends_at: string | null;
  status: CampaignStatus;
  created_at: string;
  updated_at: string;
}

export function statusAt(campaign: Pick<Campaign, "starts_at" | "ends_at">, now: Date): CampaignStatus {
  if (campaign.starts_at > now) return "upcoming";
  if (campaign.ends_at && campaign.ends_at <= now) return "ended";
  return "ongoing";
}

export function toCampaignResponse(campaign: Campaign, now: Date): CampaignResponse {
  return {
    id: campaign.id,
    name: campaign.name,
    description: campaign.description,
    offer: campaign.offer,
    discount_code: campaign.discount_code,
    starts_at: campaign.starts_at.toISOString(),
    ends_at: campaign.ends_at?.toISOString() ?? null,
    status: statusAt(campaign, now),
    created_at: campaign.created_at.toISOString(),
    updated_at: campaign.updated_at.toISOString(),
  };
}
