import Joi from "joi";
import { Segment } from "../../../shared/src/broadcast-audience";
import { instant, uuid } from "../campaigns/schema";
import { place } from "../customers/schema";

export type BroadcastStatus = "sending" | "cancelled" | "finished";
export const BROADCAST_STATUSES: BroadcastStatus[] = ["sending", "cancelled", "finished"];

/** Place names one segment field may list: enough for every province, or a region's cities. */
export const SEGMENT_MAX_PLACES = 100;

export interface BroadcastRequest {
  campaign_id: string;
  segment: Segment;
}

// Each name as registration stores it (trimmed, NFC); the same name twice in any letter case is kept once.
const places = Joi.array()
  .items(place)
  .min(1)
  .max(SEGMENT_MAX_PLACES)
  .custom(withoutRepeats);

// Joi runs this even when an item failed its rule (every error is reported), so items may be anything.
function withoutRepeats(names: unknown[]): unknown[] {
  const seen = new Set<string>();
  return names.filter((name) => typeof name !== "string" || (!seen.has(name.toLowerCase()) && seen.add(name.toLowerCase())));
}

/** The segment as stored: only the fields given, instants in UTC ISO form. */
function normalised(value: { provinces?: string[]; cities?: string[]; registered_after?: Date; registered_before?: Date }): Segment {
  return {
    ...(value.provinces ? { provinces: value.provinces } : {}),
    ...(value.cities ? { cities: value.cities } : {}),
    ...(value.registered_after ? { registered_after: value.registered_after.toISOString() } : {}),
    ...(value.registered_before ? { registered_before: value.registered_before.toISOString() } : {}),
  };
}

export const segmentSchema = Joi.object({
  provinces: places,
  cities: places,
  registered_after: instant,
  registered_before: instant.when("registered_after", {
    is: Joi.exist(),
    then: Joi.date().greater(Joi.ref("registered_after")).messages({ "date.greater": "registered_before must be after registered_after" }),
  }),
}).custom(normalised);

/** The body of a preview and of a launch: the same request, so a preview counts what a launch targets. */
export const broadcastRequestSchema = Joi.object<BroadcastRequest>({
  campaign_id: uuid.required(),
  segment: segmentSchema.required(),
});

export const broadcastPathSchema = Joi.object<{ id: string }>({ id: uuid.required() });

export interface BroadcastListFilter {
  campaign_id?: string;
  status?: BroadcastStatus;
  limit: number;
  offset: number;
}

export const listBroadcastsSchema = Joi.object<BroadcastListFilter>({
  campaign_id: uuid,
  status: Joi.string().valid(...BROADCAST_STATUSES),
  limit: Joi.number().integer().min(1).max(100).default(50),
  offset: Joi.number().integer().min(0).max(100_000).default(0),
});
