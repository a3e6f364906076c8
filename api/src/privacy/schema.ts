import Joi from "joi";
import { emailId } from "../customers/schema";

/** Whom a privacy request is about: a customer id, or the email address they registered with. */
export type DataSubjectQuery = { customer_id: string } | { email_id: string };

// The canonical form only: Joi's guid() also takes forms PostgreSQL refuses (braces, colons).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const dataSubjectSchema = Joi.object<DataSubjectQuery>({
  customer_id: Joi.string().pattern(UUID, "uuid").messages({ "string.pattern.name": "{{#label}} must be a UUID" }),
  email_id: emailId,
}).xor("customer_id", "email_id");
