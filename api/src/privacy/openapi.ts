import { adminSecurity, errorResponses as errors, jsonContent as json } from "../http/openapi-helpers";

const rows = (description: string) => ({ type: "array", description, items: { type: "object" } });

/** The privacy routes as the OpenAPI document describes them; tests hold real responses to it. */
export const privacySchemas = {
  DataSubjectRequest: {
    type: "object",
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description: "Exactly one of `customer_id` and `email_id`",
    properties: {
      customer_id: { type: "string", format: "uuid" },
      email_id: {
        type: "string",
        format: "email",
        maxLength: 254,
        description: "Compared as registration stores it: trimmed, lower case",
        example: "jane.doe@example.com",
      },
    },
  },
  PersonalDataExport: {
    type: "object",
    additionalProperties: false,
    required: ["customer_id", "exported_at", "data"],
    properties: {
      customer_id: { type: "string", format: "uuid" },
      exported_at: { type: "string", format: "date-time" },
      data: {
        type: "object",
        description: "Every row held about the customer, by table, as stored",
        required: ["customers", "marketing_consent_events", "outbox", "welcome_emails", "broadcast_deliveries", "ses_events", "suppressions"],
        properties: {
          customers: rows("The customer: contact details, address, marketing consent (requested, confirmed)"),
          marketing_consent_events: rows("The record of consent: each time it was requested, confirmed or withdrawn, and how"),
          outbox: rows("Events about the customer still held (published ones are deleted after the retention period), payload parsed"),
          welcome_emails: rows("When the welcome email was sent, and SES's message id"),
          broadcast_deliveries: rows("Each broadcast that reached the customer: its status and SES's message id"),
          ses_events: rows("What SES reported about emails to the customer's address (bounces, complaints, deliveries), kept for the retention period"),
          suppressions: rows("The address's suppression, if SES reported a permanent bounce or a complaint; it survives erasure, holding only the address's hash"),
        },
        additionalProperties: rows("Any other table holding the customer's data"),
      },
    },
  },
  ErasureResult: {
    type: "object",
    additionalProperties: false,
    required: ["erased"],
    properties: { erased: { type: "boolean", enum: [true] } },
  },
};

const subject = { required: true, content: json("DataSubjectRequest") };

export const privacyPaths = {
  "/privacy/export": {
    post: {
      tags: ["privacy (admin)"],
      summary: "Export everything held about a customer (right of access, portability)",
      operationId: "exportPersonalData",
      security: adminSecurity,
      requestBody: subject,
      responses: {
        "200": { description: "The customer's data, read from one consistent snapshot", content: json("PersonalDataExport") },
        ...errors(400, 401, 404, 413, 415, 429, 503),
      },
    },
  },
  "/privacy/erasure": {
    post: {
      tags: ["privacy (admin)"],
      summary: "Erase a customer's personal data everywhere it is held (right to erasure)",
      description:
        "In one transaction: the customer, their record of consent, events about them, their welcome email record, their broadcast deliveries and the SES events about their address are deleted; an unlinkable tombstone (registration month, erasure time) keeps counts right. A suppression of their address stays (it holds only the address's hash), so a bounced or complaining address is never emailed again. Nothing links back afterwards, so a repeated erasure answers 404.",
      operationId: "erasePersonalData",
      security: adminSecurity,
      requestBody: subject,
      responses: { "200": { description: "Erased", content: json("ErasureResult") }, ...errors(400, 401, 404, 413, 415, 429, 503) },
    },
  },
};
