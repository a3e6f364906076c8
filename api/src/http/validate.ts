import Joi from "joi";
import { AppError } from "../../../shared/src/app-error";

const REPORT_EVERY_ERROR: Joi.ValidationOptions = { abortEarly: false, errors: { wrap: { label: false } } };

/**
 * Validates and normalises untrusted input against a Joi schema. Every offending field is reported
 * at once (abortEarly: false), named by its path as the client sent it, once: a value breaking two
 * rules (too long and not an email) gets the first rule's message only.
 */
export function validate<T>(schema: Joi.Schema<T>, input: unknown, where: "body" | "query" | "path" = "body"): T {
  // No body at all is an empty one: its required fields are missing, rather than nothing to check.
  const body = input ?? {};
  // Most input is valid, and valid input gets the same value whatever the error options. With Joi's
  // default options Joi merges each field's preferences once and reuses them; with any other options
  // it merges them on every call. So: defaults first, and the full report only for invalid input.
  const { error, value } = schema.validate(body);
  if (!error) return value;
  throw validationFailed(schema.validate(body, REPORT_EVERY_ERROR).error!, where);
}

function validationFailed(error: Joi.ValidationError, where: string): AppError {
  const details = new Map<string, string>();
  for (const d of error.details) {
    const field = d.path.length ? d.path.join(".") : where;
    if (!details.has(field)) details.set(field, d.message);
  }
  return new AppError("validation-failed", `The request ${where} is invalid`, {
    status: 400,
    details: [...details].map(([field, message]) => ({ field, message })),
  });
}
