import { adminSecurity, errorResponses as errors, jsonContent as json } from "../http/openapi-helpers";

const instant = { type: "string", format: "date-time" };

export const suppressionSchemas = {
  AddressRequest: {
    type: "object",
    additionalProperties: false,
    required: ["email_id"],
    properties: {
      email_id: {
        type: "string",
        format: "email",
        maxLength: 254,
        description: "Compared as registration stores it (trimmed, lower case), by its SHA-256 hash: suppressions keep no address",
        example: "jane.doe@example.com",
      },
    },
  },
  AddressSuppression: {
    type: "object",
    additionalProperties: false,
    required: ["email_hash", "suppression", "ses_events"],
    properties: {
      email_hash: { type: "string", pattern: "^[0-9a-f]{64}$", description: "Hex SHA-256 of the address as compared" },
      suppression: {
        type: "object",
        nullable: true,
        additionalProperties: false,
        required: ["reason", "detail", "since", "lifted_at", "active"],
        description: "Null when SES reported only events that do not suppress (a transient bounce, a delivery)",
        properties: {
          reason: { type: "string", enum: ["bounce", "complaint"], description: "A permanent bounce, or a complaint" },
          detail: { type: "string", nullable: true, description: "SES's bounce type and subtype, or the complaint's feedback type" },
          since: { ...instant, description: "When the address was suppressed" },
          lifted_at: { ...instant, nullable: true, description: "When an admin lifted it" },
          active: { type: "boolean", description: "True while not lifted: nothing is sent to the address, welcome or broadcast" },
        },
      },
      ses_events: {
        type: "array",
        description: "What SES reported about emails to the address, newest first (the latest 100; kept for the personal-data retention period)",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["type", "detail", "occurred_at", "received_at"],
          properties: {
            type: { type: "string", description: "The SES event type, e.g. Bounce, Complaint, Delivery" },
            detail: { type: "string", nullable: true },
            occurred_at: instant,
            received_at: instant,
          },
        },
      },
    },
  },
};

const tags = ["suppressions (admin)"];
const body = { required: true, content: json("AddressRequest") };

export const suppressionPaths = {
  "/suppressions/lookup": {
    post: {
      tags,
      summary: "Why an address is not emailed: its suppression and what SES reported",
      description: "The address is in the body, never the URL, so it stays out of access logs.",
      operationId: "lookUpSuppression",
      security: adminSecurity,
      requestBody: body,
      responses: {
        "200": { description: "The address's suppression (active or lifted) and SES events", content: json("AddressSuppression") },
        ...errors(400, 401, 404, 413, 415, 429, 503),
      },
    },
  },
  "/suppressions/lift": {
    post: {
      tags,
      summary: "Lift an address's suppression, so it can be emailed again",
      description:
        "Changes no consent: a complaint also turned the customer's marketing consent off, and it stays off until the customer subscribes again themselves (the resubscribe link of any email). Lifting a lifted suppression changes nothing. `404` when the address has no suppression.",
      operationId: "liftSuppression",
      security: adminSecurity,
      requestBody: body,
      responses: { "200": { description: "Lifted", content: json("AddressSuppression") }, ...errors(400, 401, 404, 413, 415, 429, 503) },
    },
  },
};
