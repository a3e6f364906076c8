import { UUID_PATTERN } from "../campaigns/schema";
import { PLACE_MAX_CHARACTERS, PLACE_PATTERN } from "../customers/schema";
import { adminSecurity, errorResponses as errors, jsonContent as json } from "../http/openapi-helpers";
import { SEGMENT_MAX_PLACES } from "./schema";

const uuid = { type: "string", format: "uuid", pattern: UUID_PATTERN };
const instant = { type: "string", format: "date-time" };
const nullableInstant = { ...instant, nullable: true };
const count = (description: string) => ({ type: "integer", minimum: 0, description });
const places = (what: string, example: string) => ({
  type: "array",
  minItems: 1,
  maxItems: SEGMENT_MAX_PLACES,
  description: `Customers whose ${what} is one of these, in any letter case. Each name follows registration's rule for places and is stored as registration stores it (trimmed, NFC); a name repeated in another letter case is kept once`,
  items: { type: "string", minLength: 1, maxLength: PLACE_MAX_CHARACTERS, pattern: PLACE_PATTERN },
  example: [example],
});

const summaryProperties = {
  id: { type: "string", format: "uuid" },
  campaign_id: { type: "string", format: "uuid" },
  segment: { $ref: "#/components/schemas/Segment" },
  status: {
    type: "string",
    enum: ["sending", "cancelled", "finished"],
    description: "sending: recipients are being enumerated or emailed; finished: every recipient enumerated and settled; cancelled: nothing more is sent",
  },
  targeted: count("Recipients enumerated so far (each gets a delivery)"),
  enumerated: { type: "boolean", description: "Whether the whole audience has been enumerated; false again after a relaunch until its enumeration ends" },
  created_at: instant,
  started_at: nullableInstant,
  finished_at: nullableInstant,
  cancelled_at: nullableInstant,
};

export const broadcastSchemas = {
  Segment: {
    type: "object",
    additionalProperties: false,
    description: "Who among the customers whose marketing consent is confirmed (double opt-in) and whose address is not suppressed. Every field narrows the audience; `{}` is all of them",
    properties: {
      provinces: places("province", "Ontario"),
      cities: places("city", "Toronto"),
      registered_after: { ...instant, description: "Registered at or after this instant; stored in UTC" },
      registered_before: { ...instant, description: "Registered before this instant (after registered_after); stored in UTC" },
    },
  },
  BroadcastRequest: {
    type: "object",
    additionalProperties: false,
    required: ["campaign_id", "segment"],
    properties: {
      campaign_id: { ...uuid, description: "An ongoing or upcoming campaign" },
      segment: { $ref: "#/components/schemas/Segment" },
    },
  },
  BroadcastPreview: {
    type: "object",
    additionalProperties: false,
    required: ["recipients"],
    properties: { recipients: count("Customers a launch of this request would target now") },
  },
  BroadcastSummary: { type: "object", additionalProperties: false, required: Object.keys(summaryProperties), properties: summaryProperties },
  Broadcast: {
    type: "object",
    additionalProperties: false,
    required: [...Object.keys(summaryProperties), "sent", "suppressed", "skipped", "failed", "remaining"],
    properties: {
      ...summaryProperties,
      sent: count("Emails SES accepted"),
      suppressed: count("Recipients not emailed because their address became suppressed (bounce, complaint) after they were enumerated"),
      skipped: count(
        "Recipients not emailed because they left the audience (unsubscribed, deactivated) after they were enumerated, or because the broadcast was cancelled: after a cancel, deliveries still queued count here at once",
      ),
      failed: count("Emails that could not be sent"),
      remaining: count(
        "Still to be sent: deliveries queued or being sent, plus, while `enumerated` is false, the customers of the current audience the enumeration has not reached yet (counted from the audience now, so an estimate). After a cancel, only sends already under way",
      ),
    },
  },
  BroadcastList: {
    type: "object",
    additionalProperties: false,
    required: ["broadcasts"],
    properties: { broadcasts: { type: "array", items: { $ref: "#/components/schemas/BroadcastSummary" } } },
  },
};

const tags = ["broadcasts (admin)"];
const idParameter = {
  name: "id",
  in: "path",
  required: true,
  description: "The broadcast's id as the API gives it (8-4-4-4-12 hexadecimal digits); any other form answers 400",
  schema: uuid,
};
const body = { required: true, content: json("BroadcastRequest") };
const conflict = (description: string) => ({ "409": { description, content: json("Error") } });
const progress = (description: string) => ({ description, content: json("Broadcast") });

export const broadcastPaths = {
  "/broadcasts/preview": {
    post: {
      tags,
      summary: "Count the customers a broadcast would target, without launching it",
      description: "Refused as a launch would be (no such campaign, campaign ended), so a preview tells what launching the same request does.",
      operationId: "previewBroadcast",
      security: adminSecurity,
      requestBody: body,
      responses: {
        "200": { description: "The audience's size now", content: json("BroadcastPreview") },
        ...errors(400, 401, 404, 413, 415, 429, 503),
        ...conflict("The campaign has ended (`campaign-ended`)"),
      },
    },
  },
  "/broadcasts": {
    post: {
      tags,
      summary: "Launch a broadcast of a campaign to a segment",
      description:
        "Records the broadcast and its `broadcast.launched` event together; the broadcast function then enumerates the audience and emails it at SES's pace, welcome emails first. Each customer gets it at most once. `404` when the campaign does not exist.",
      operationId: "launchBroadcast",
      security: adminSecurity,
      requestBody: body,
      responses: {
        "202": {
          description: "Accepted: sending. `Location` is the broadcast's URL, to follow its progress",
          headers: { Location: { schema: { type: "string" }, description: "/broadcasts/{id}" } },
          content: json("Broadcast"),
        },
        ...errors(400, 401, 404, 413, 415, 429, 503),
        ...conflict("The campaign has ended (`campaign-ended`)"),
      },
    },
    get: {
      tags,
      summary: "List broadcasts, newest first (without delivery counts: get one for its progress)",
      operationId: "listBroadcasts",
      security: adminSecurity,
      parameters: [
        { name: "campaign_id", in: "query", schema: uuid },
        { name: "status", in: "query", schema: { type: "string", enum: ["sending", "cancelled", "finished"] } },
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 50 } },
        { name: "offset", in: "query", schema: { type: "integer", minimum: 0, maximum: 100000, default: 0 } },
      ],
      responses: { "200": { description: "Broadcasts", content: json("BroadcastList") }, ...errors(400, 401, 429, 503) },
    },
  },
  "/broadcasts/{id}": {
    get: {
      tags,
      summary: "A broadcast and its progress",
      operationId: "getBroadcast",
      security: adminSecurity,
      parameters: [idParameter],
      responses: { "200": progress("The broadcast, counted from its deliveries"), ...errors(400, 401, 404, 429, 503) },
    },
  },
  "/broadcasts/{id}/cancel": {
    post: {
      tags,
      summary: "Cancel a sending broadcast: nothing more is sent",
      description:
        "Takes effect at once: the broadcast function checks the status before each send, so only sends already under way may still complete. Deliveries still queued are marked `skipped` by the function as it drains them, and count as skipped from now on.",
      operationId: "cancelBroadcast",
      security: adminSecurity,
      parameters: [idParameter],
      responses: {
        "200": progress("Cancelled"),
        ...errors(400, 401, 404, 429, 503),
        ...conflict("The broadcast is already cancelled (`broadcast-cancelled`) or finished (`broadcast-finished`)"),
      },
    },
  },
  "/broadcasts/{id}/relaunch": {
    post: {
      tags,
      summary: "Launch a broadcast again: enumerate its audience from the start",
      description:
        "For a sending broadcast whose enumeration stopped, or a finished one, to reach customers who joined its audience since (confirmed their consent, registered in its period). Nobody gets it twice: each customer has at most one delivery per broadcast. A finished broadcast is sending again until the new enumeration settles. A cancelled broadcast stays cancelled, and an ended campaign is not announced again.",
      operationId: "relaunchBroadcast",
      security: adminSecurity,
      parameters: [idParameter],
      responses: {
        "202": progress("Accepted: sending"),
        ...errors(400, 401, 404, 429, 503),
        ...conflict("The broadcast was cancelled (`broadcast-cancelled`) or its campaign has ended (`campaign-ended`)"),
      },
    },
  },
};
