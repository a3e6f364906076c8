import Joi from "joi";
import { AppError } from "../../../shared/src/app-error";

/**
 * Validates and normalises untrusted input against a Joi schema. Every offending field is reported
 * at once (abortEarly: false), named by its path as the client sent it.
 */
export function validate<T>(schema: Joi.Schema<T>, input: unknown, where: "body" | "query" | "path" = "body"): T {
  const { error, value } = schema.validate(input, { abortEarly: false, errors: { wrap: { label: false } } });
  if (error) {
    throw new AppError("validation-failed", `The request ${where} is invalid`, {
      status: 400,
      details: error.details.map((d) => ({ field: d.path.length ? d.path.join(".") : where, message: d.message })),
    });
  }
  return value;
}
