/**
 * How a consumer reads an event of the platform's contracts: JSON, the schema version it knows, then
 * the validator generated from the event's JSON Schema. What fails can never be processed.
 */
import type { ErrorObject } from "ajv";

export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidEventError";
  }
}

/** A validator generated from a JSON Schema (`npm run generate:event-validator`). */
export type GeneratedValidator = (data: unknown) => boolean;

/** Ajv's errors as one line: each offending path and what is wrong with it. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message}`).join(", ");
}

/** A parser of message bodies for one version of an event; it throws InvalidEventError for anything else. */
export function eventParser<T>(version: number, generated: GeneratedValidator): (body: string) => T {
  const validate = generated as ((data: unknown) => data is T) & { errors?: ErrorObject[] | null };
  return (body) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new InvalidEventError("message is not valid JSON");
    }
    const given = (parsed as { schema_version?: unknown } | null)?.schema_version;
    if (given !== version) throw new InvalidEventError(`unsupported schema_version ${JSON.stringify(given)}`);
    if (!validate(parsed)) throw new InvalidEventError(`message does not match the schema: ${describeErrors(validate.errors)}`);
    return parsed;
  };
}
