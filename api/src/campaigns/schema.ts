import Joi from "joi";
import { CampaignStatus } from "../../../shared/src/campaign-status";

export interface CampaignFields {
  name: string;
  description: string;
  offer: string;
  discount_code: string | null;
  starts_at: Date;
  ends_at: Date | null;
}

// PostgreSQL refuses NUL and lone UTF-16 surrogates in text; line breaks and tabs are fine in prose.
const text = (max: number) =>
  Joi.string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .pattern(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\p{Cs}]*$/u, "text")
    .messages({ "string.pattern.name": "{{#label}} must not contain control characters" });

// Joi reads ISO dates with six-digit years (`+010000-01-01`) too, but RFC 3339, the document's
// `date-time`, has four: a campaign answered with such a date would break strict clients.
export const instant = Joi.date().iso().min("0001-01-01T00:00:00.000Z").max("9999-12-31T23:59:59.999Z");

const fields = {
  name: text(120),
  description: text(2000),
  offer: text(500),
  discount_code: Joi.string()
    .trim()
    .uppercase()
    .pattern(/^[A-Z0-9_-]{3,40}$/, "discount code")
    .allow(null)
    .messages({ "string.pattern.name": "{{#label}} must be 3 to 40 letters, digits, hyphens or underscores" }),
  starts_at: instant,
  ends_at: instant.allow(null),
};

export const createCampaignSchema = Joi.object<CampaignFields>({
  name: fields.name.required(),
  description: fields.description.required(),
  offer: fields.offer.required(),
  discount_code: fields.discount_code.default(null),
  starts_at: fields.starts_at.required(),
  ends_at: fields.ends_at.greater(Joi.ref("starts_at")).default(null).messages({ "date.greater": "ends_at must be after starts_at" }),
});

/** At least one field; `ends_at` after `starts_at` is checked against the stored campaign when merging. */
export const updateCampaignSchema = Joi.object<Partial<CampaignFields>>(fields).min(1);

export const listCampaignsSchema = Joi.object<{ status?: CampaignStatus; limit: number; offset: number }>({
  status: Joi.string().valid("ongoing", "upcoming", "ended"),
  limit: Joi.number().integer().min(1).max(100).default(50),
  offset: Joi.number().integer().min(0).max(100_000).default(0),
});

/**
 * Ids in the one form the API answers with: 8-4-4-4-12 hexadecimal digits, which PostgreSQL's uuid
 * type always reads. Joi's guid() also passes forms PostgreSQL refuses (`00000000:0000:…`), which
 * failed the query: a 500 where the client had sent a bad id.
 */
export const UUID_PATTERN = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";

/** An id as UUID_PATTERN reads it, with a message that shows the expected form. */
export const uuid = Joi.string()
  .pattern(new RegExp(UUID_PATTERN), "uuid")
  .messages({ "string.pattern.name": "{{#label}} must be a UUID like 4b0e8a8e-8a8e-4b0e-8a8e-4b0e8a8e8a8e" });

export const campaignPathSchema = Joi.object<{ id: string }>({ id: uuid.required() });
