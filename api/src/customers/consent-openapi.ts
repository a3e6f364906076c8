import { errorResponses as errors, jsonContent as json } from "../http/openapi-helpers";

/** The routes behind the links of our emails, as the OpenAPI document describes them. */
export const consentSchemas = {
  MarketingConsentState: {
    type: "object",
    additionalProperties: false,
    required: ["marketing_consent"],
    properties: {
      marketing_consent: {
        type: "string",
        enum: ["none", "pending", "confirmed"],
        description:
          "none: no consent (never given or withdrawn); pending: given at registration, not yet confirmed by the address's owner; confirmed: campaign broadcasts reach the customer",
      },
    },
  },
  UnsubscribeResult: {
    type: "object",
    additionalProperties: false,
    required: ["unsubscribed"],
    properties: { unsubscribed: { type: "boolean", enum: [true] } },
  },
};

const token = (what: string) => ({
  name: "token",
  in: "query",
  required: true,
  description: `Signed token from the email's ${what} link. Other query parameters (e.g. a link tracker's \`utm_*\`) are ignored`,
  schema: { type: "string", maxLength: 512 },
});

const page = { "text/html": { schema: { type: "string" } } };
const linkErrors = errors(400, 404, 429, 503);
const answers = (description: string, schema: string) => ({
  "200": { description: `${description}. A page for browsers (\`Accept: text/html\`), JSON otherwise`, content: { ...json(schema), ...page } },
  ...linkErrors,
});

export const consentPaths = {
  "/unsubscribe": {
    get: {
      tags: ["customers"],
      summary: "The unsubscribe link of every email: shows a confirmation page, changes nothing",
      description:
        "Mail scanners and link previewers open links on their own, so opening the link only shows the customer's current consent and a button that POSTs (RFC 8058).",
      operationId: "showUnsubscribe",
      parameters: [token("unsubscribe")],
      responses: answers("The customer's current consent", "MarketingConsentState"),
    },
    post: {
      tags: ["customers"],
      summary: "Unsubscribe: the page's button, or the mail client's one-click unsubscribe (RFC 8058)",
      description: "Withdraws marketing consent (pending or confirmed); repeating it is harmless. The page offers to subscribe again.",
      operationId: "unsubscribe",
      parameters: [token("unsubscribe")],
      requestBody: {
        required: false,
        content: {
          "application/x-www-form-urlencoded": {
            schema: { type: "object", properties: { "List-Unsubscribe": { type: "string", enum: ["One-Click"] } } },
          },
        },
      },
      responses: answers("Unsubscribed", "UnsubscribeResult"),
    },
  },
  "/resubscribe": {
    post: {
      tags: ["customers"],
      summary: "Subscribe again from the unsubscribe page (undoes a mistaken click)",
      description: "Takes the unsubscribe link's token. The click comes from the address's owner, so the consent is confirmed at once.",
      operationId: "resubscribe",
      parameters: [token("unsubscribe")],
      responses: answers("Subscribed, confirmed", "MarketingConsentState"),
    },
  },
  "/confirm-subscription": {
    get: {
      tags: ["customers"],
      summary: "The welcome email's confirmation link: shows a confirmation page, changes nothing",
      operationId: "showSubscriptionConfirmation",
      parameters: [token("confirmation")],
      responses: answers("The customer's current consent", "MarketingConsentState"),
    },
    post: {
      tags: ["customers"],
      summary: "Confirm marketing consent (double opt-in): the confirmation page's button",
      description: "Records that the address's owner wants campaign offers; from then on broadcasts include the customer. Repeating it is harmless.",
      operationId: "confirmSubscription",
      parameters: [token("confirmation")],
      responses: answers("Confirmed", "MarketingConsentState"),
    },
  },
};
