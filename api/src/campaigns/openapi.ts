import { adminSecurity, errorResponses as errors, jsonContent as json } from "../http/openapi-helpers";
import { UUID_PATTERN } from "./schema";

const fieldSchemas = {
  name: { type: "string", minLength: 1, maxLength: 120, example: "Winter sale" },
  description: { type: "string", minLength: 1, maxLength: 2000, example: "Warm coats and boots for less." },
  offer: { type: "string", minLength: 1, maxLength: 500, example: "20% off all outerwear" },
  discount_code: {
    type: "string",
    nullable: true,
    pattern: "^\\s*[A-Za-z0-9_-]{3,40}\\s*$",
    description: "Stored in upper case",
    example: "WINTER20",
  },
  starts_at: { type: "string", format: "date-time", example: "2026-12-01T00:00:00Z" },
  ends_at: { type: "string", format: "date-time", nullable: true, description: "Open-ended when null; must be after starts_at" },
};

export const campaignSchemas = {
  CampaignCreate: {
    type: "object",
    additionalProperties: false,
    required: ["name", "description", "offer", "starts_at"],
    properties: fieldSchemas,
  },
  CampaignUpdate: { type: "object", additionalProperties: false, minProperties: 1, properties: fieldSchemas },
  Campaign: {
    type: "object",
    additionalProperties: false,
    required: ["id", "name", "description", "offer", "discount_code", "starts_at", "ends_at", "status", "created_at", "updated_at"],
    properties: {
      id: { type: "string", format: "uuid" },
      ...fieldSchemas,
      status: {
        type: "string",
        enum: ["ongoing", "upcoming", "ended"],
        description: "ongoing: starts_at <= now and (ends_at is null or now < ends_at)",
      },
      created_at: { type: "string", format: "date-time" },
      updated_at: { type: "string", format: "date-time" },
    },
  },
  CampaignList: {
    type: "object",
    additionalProperties: false,
    required: ["campaigns"],
    properties: { campaigns: { type: "array", items: { $ref: "#/components/schemas/Campaign" } } },
  },
};

const idParameter = {
  name: "id",
  in: "path",
  required: true,
  description: "The campaign's id as the API gives it (8-4-4-4-12 hexadecimal digits); any other form answers 400",
  schema: { type: "string", format: "uuid", pattern: UUID_PATTERN },
};

export const campaignPaths = {
  "/campaigns": {
    post: {
      tags: ["campaigns (admin)"],
      summary: "Create a campaign",
      operationId: "createCampaign",
      security: adminSecurity,
      requestBody: { required: true, content: json("CampaignCreate") },
      responses: { "201": { description: "Created", content: json("Campaign") }, ...errors(400, 401, 413, 415, 429, 503) },
    },
    get: {
      tags: ["campaigns (admin)"],
      summary: "List campaigns, oldest start first",
      operationId: "listCampaigns",
      security: adminSecurity,
      parameters: [
        { name: "status", in: "query", schema: { type: "string", enum: ["ongoing", "upcoming", "ended"] } },
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 50 } },
        { name: "offset", in: "query", schema: { type: "integer", minimum: 0, maximum: 100000, default: 0 } },
      ],
      responses: { "200": { description: "Campaigns", content: json("CampaignList") }, ...errors(400, 401, 429, 503) },
    },
  },
  "/campaigns/{id}": {
    get: {
      tags: ["campaigns (admin)"],
      summary: "Get a campaign",
      operationId: "getCampaign",
      security: adminSecurity,
      parameters: [idParameter],
      responses: { "200": { description: "The campaign", content: json("Campaign") }, ...errors(400, 401, 404, 429, 503) },
    },
    patch: {
      tags: ["campaigns (admin)"],
      summary: "Change some fields of a campaign",
      operationId: "updateCampaign",
      security: adminSecurity,
      parameters: [idParameter],
      requestBody: { required: true, content: json("CampaignUpdate") },
      responses: { "200": { description: "The changed campaign", content: json("Campaign") }, ...errors(400, 401, 404, 413, 415, 429, 503) },
    },
    delete: {
      tags: ["campaigns (admin)"],
      summary: "Delete a campaign",
      operationId: "deleteCampaign",
      description: "A campaign that has broadcasts cannot be deleted: they record whom it was sent to.",
      security: adminSecurity,
      parameters: [idParameter],
      responses: {
        "204": { description: "Deleted" },
        ...errors(400, 401, 404, 429, 503),
        "409": { description: "The campaign has broadcasts (`campaign-has-broadcasts`)", content: json("Error") },
      },
    },
  },
};
