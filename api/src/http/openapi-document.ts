/**
 * The OpenAPI 3 document served at /openapi.json and rendered by Swagger UI at /docs. Each
 * capability contributes its paths and schemas; the shared parts (errors, health) live here.
 */
import { broadcastPaths, broadcastSchemas } from "../broadcasts/openapi";
import { campaignPaths, campaignSchemas } from "../campaigns/openapi";
import { consentPaths, consentSchemas } from "../customers/consent-openapi";
import { customerPaths, customerSchemas } from "../customers/openapi";
import { privacyPaths, privacySchemas } from "../privacy/openapi";
import { suppressionPaths, suppressionSchemas } from "../suppressions/openapi";
import packageJson from "../../../package.json";
import { adminSecuritySchemes, errorResponses, jsonContent as json } from "./openapi-helpers";

const errorDescriptions: Record<number, string> = {
  400: "Invalid request: malformed JSON (`malformed-json`), a body that cannot be read as sent (`malformed-request`) failed validation (`validation-failed`, one entry per field in `details`) or an invalid email link (`invalid-token`)",
  401: "Missing or wrong `x-api-key` (`unauthorized`)",
  404: "No such resource or route (`not-found`)",
  409: "Conflict with the current state",
  413: "Request body over the size limit (`payload-too-large`)",
  415: "Request body is not `application/json` (`unsupported-media-type`)",
  429: "Too many requests (`rate-limited`); retry after the `Retry-After` seconds",
  500: "Unexpected failure (`internal-error`); the cause is logged, never returned",
  503: "Temporarily unavailable, e.g. the database cannot be reached (`service-unavailable`, `not-ready`)",
};

const errorResponseComponents = Object.fromEntries(
  Object.entries(errorDescriptions).map(([status, description]) => [
    `Error${status}`,
    { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  ]),
);

export function buildOpenApiDocument(appEnv: string) {
  return {
    openapi: "3.0.3",
    info: {
      title: "e_com registration API",
      version: packageJson.version,
      description: `Customer registration for the e_com platform (environment: ${appEnv}).`,
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "customers" },
      { name: "campaigns (admin)", description: "Require the admin key: use Authorize in Swagger UI" },
      { name: "privacy (admin)", description: "Customers' data-protection requests; require the admin key" },
      { name: "broadcasts (admin)", description: "Announce a campaign to a segment of the customers who confirmed marketing consent; require the admin key" },
      { name: "suppressions (admin)", description: "Addresses SES reported as bouncing or complaining, never emailed again unless lifted; require the admin key" },
      { name: "service" },
    ],
    paths: {
      ...customerPaths,
      ...consentPaths,
      ...campaignPaths,
      ...privacyPaths,
      ...broadcastPaths,
      ...suppressionPaths,
      "/": {
        get: {
          tags: ["service"],
          summary: "Service name, version and environment",
          operationId: "getServiceInfo",
          responses: { "200": { description: "Service information", content: json("ServiceInfo") }, ...errorResponses(429) },
        },
      },
      "/health": {
        get: {
          tags: ["service"],
          summary: "Liveness: the process is up",
          operationId: "getHealth",
          responses: { "200": { description: "Alive", content: json("HealthStatus") } },
        },
      },
      "/health/ready": {
        get: {
          tags: ["service"],
          summary: "Readiness: the database answers and the service is not shutting down",
          operationId: "getReadiness",
          responses: { "200": { description: "Ready", content: json("HealthStatus") }, "503": { $ref: "#/components/responses/Error503" } },
        },
      },
    },
    components: {
      securitySchemes: adminSecuritySchemes,
      schemas: {
        ...customerSchemas,
        ...consentSchemas,
        ...campaignSchemas,
        ...privacySchemas,
        ...broadcastSchemas,
        ...suppressionSchemas,
        Error: {
          type: "object",
          additionalProperties: false,
          required: ["error"],
          properties: {
            error: {
              type: "object",
              additionalProperties: false,
              required: ["code", "message"],
              properties: {
                code: { type: "string", pattern: "^[a-z]+(-[a-z]+)*$", description: "Stable, machine-readable kebab-case code" },
                message: { type: "string" },
                details: {
                  type: "array",
                  items: {
                    type: "object",
                    additionalProperties: false,
                    required: ["field", "message"],
                    properties: { field: { type: "string" }, message: { type: "string" } },
                  },
                },
                request_id: { type: "string", description: "Also in the `x-request-id` response header" },
              },
            },
          },
        },
        ServiceInfo: {
          type: "object",
          additionalProperties: false,
          required: ["service", "version", "environment"],
          properties: {
            service: { type: "string" },
            version: { type: "string" },
            environment: { type: "string", enum: ["local", "dev", "prod"] },
          },
        },
        HealthStatus: {
          type: "object",
          additionalProperties: false,
          required: ["status"],
          properties: { status: { type: "string", enum: ["ok", "ready"] } },
        },
      },
      responses: errorResponseComponents,
    },
  };
}
