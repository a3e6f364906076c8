import Joi from "joi";
import { AppError } from "../../../shared/src/app-error";

/**
 * Validates and normalises untrusted input against a Joi schema. Every offending field is reported
 * at once (abortEarly: false), named by its path as the client sent it, once: a value breaking two
 * rules (too long and not an email) gets the first rule's message only.
 */
export function validate<T>(schema: Joi.Schema<T>, input: unknown, where: "body" | "query" | "path" = "body"): T {
  // No body at all is an empty one: its required fields are missing, rather than nothing to check.
  const { error, value } = schema.validate(input ?? {}, { abortEarly: false, errors: { wrap: { label: false } } });
  if (error) {
    const details = new Map<string, string>();
    for (const d of error.details) {
      const field = d.path.length ? d.path.join(".") : where;
      if (!details.has(field)) details.set(field, d.message);
    }
    throw new AppError("validation-failed", `The request ${where} is invalid`, {
      status: 400,
      details: [...details].map(([field, message]) => ({ field, message })),
    });
  }
  return value;
}
