import { errorResponses as errors, jsonContent as json } from "../http/openapi-helpers";
import { NAME_MAX_CHARACTERS, NAME_PATTERN, PLACE_MAX_CHARACTERS, PLACE_PATTERN } from "./schema";

const stored = "Trimmed and stored in Unicode NFC (composed) form; the length counts characters (code points).";

/** Names (first_name, last_name): the Joi rule's pattern and length, as customers/schema.ts applies them. */
const nameField = (example: string) => ({
  type: "string",
  minLength: 1,
  maxLength: NAME_MAX_CHARACTERS,
  pattern: NAME_PATTERN,
  description: `Letters and combining marks of any script, spaces, apostrophes (' ’), hyphens, periods and middle dots (· ・), with at least one letter. Refused: digits, web addresses and domains (\`evil.example\`; initials like \`J.R.R.\` are fine), RFC 2047 encoded words (\`=?…?=\`), and invisible characters (bidi controls, zero-width characters, anything in Unicode category Cf). ${stored}`,
  example,
});

/** Places (province, city): as names, plus digits and `, ( ) / &`, without the domain rule. */
const placeField = (example: string) => ({
  type: "string",
  minLength: 1,
  maxLength: PLACE_MAX_CHARACTERS,
  pattern: PLACE_PATTERN,
  description: `Letters and combining marks of any script, digits, spaces and ' ’ - . , ( ) / & · ・; at least one letter; no invisible characters (bidi controls, zero-width characters, Unicode category Cf). ${stored}`,
  example,
});

/** The customer routes as the OpenAPI document describes them; tests hold real responses to it. */
export const customerSchemas = {
  RegistrationRequest: {
    type: "object",
    additionalProperties: false,
    required: ["first_name", "last_name", "email_id", "phone", "province", "city", "postalcode"],
    properties: {
      first_name: nameField("Jane"),
      last_name: nameField("Doe"),
      email_id: {
        type: "string",
        format: "email",
        maxLength: 254,
        description:
          "Trimmed and compared in lower case. The part before @ must be ASCII; an internationalised domain is stored in its ASCII (punycode) form",
        example: "jane.doe@example.com",
      },
      phone: {
        type: "string",
        maxLength: 25,
        description:
          "7 to 15 digits, optionally starting with +; spaces, dots, hyphens and parentheses are allowed and stored without",
        example: "+1 416 555 0100",
      },
      province: placeField("Ontario"),
      city: placeField("Toronto"),
      postalcode: {
        type: "string",
        pattern: "^\\s*[A-Za-z0-9][A-Za-z0-9 -]{1,8}[A-Za-z0-9]\\s*$",
        example: "M5V 2T6",
      },
      marketing_opt_in: {
        type: "boolean",
        default: false,
        description:
          "Whether the customer agrees to receive campaign offers by email. Pending until the address's owner confirms it through the link in the welcome email (double opt-in)",
      },
    },
  },
  RegisteredCustomer: {
    type: "object",
    additionalProperties: false,
    required: ["id", "email_id", "created_at"],
    properties: {
      id: { type: "string", format: "uuid" },
      email_id: { type: "string", format: "email", description: "The email as stored: trimmed, lower case" },
      created_at: { type: "string", format: "date-time" },
    },
  },
  VerificationRequest: {
    type: "object",
    additionalProperties: false,
    required: ["email_id"],
    properties: { email_id: { type: "string", format: "email", maxLength: 254, example: "jane.doe@example.com" } },
  },
  VerificationResult: {
    type: "object",
    additionalProperties: false,
    required: ["email_id", "registered"],
    properties: {
      email_id: { type: "string", description: "The email as compared: trimmed, lower case" },
      registered: { type: "boolean", description: "True when an active customer holds this email" },
    },
  },
};


export const customerPaths = {
  "/customer-registration": {
    post: {
      tags: ["customers"],
      summary: "Register a customer",
      description:
        "Stores the customer and announces a `customer.registered` event. An email can be registered once, whatever its letter case.",
      operationId: "registerCustomer",
      requestBody: { required: true, content: json("RegistrationRequest") },
      responses: {
        "201": { description: "Registered", content: json("RegisteredCustomer") },
        "409": {
          description: "The email is already registered (code `email-already-registered`)",
          content: json("Error"),
        },
        ...errors(400, 413, 415, 429, 503),
      },
    },
  },
  "/verify-registration": {
    post: {
      tags: ["customers"],
      summary: "Ask whether an email is registered",
      operationId: "verifyRegistration",
      requestBody: { required: true, content: json("VerificationRequest") },
      responses: { "200": { description: "The answer", content: json("VerificationResult") }, ...errors(400, 413, 415, 429, 503) },
    },
  },
};
