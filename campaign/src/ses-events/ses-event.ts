/**
 * The JSON SES publishes about a sent email (event publishing through a configuration set:
 * `eventType`; an identity's feedback notifications: `notificationType`), read into what the
 * platform acts on. Bounces and complaints are feedback about recipients; every other documented
 * type is acknowledged and ignored (see docs/bounces-and-complaints.md). Anything else can never
 * be processed: InvalidEventError, whose message never quotes the event (it holds addresses).
 */
import { InvalidEventError } from "../../../shared/src/events/event-parsing";

/** A bounce or a complaint about one email, for one or more of its recipients. */
export interface SesFeedback {
  eventType: "Bounce" | "Complaint";
  /** SES's id of this report: a redelivered notification carries the same one. */
  feedbackId: string;
  /** SES's id of the email the report is about. */
  sesMessageId: string;
  occurredAt: Date;
  recipients: string[];
  /** `Permanent/General`, `Transient/MailboxFull`…, or the complaint's feedback type (`abuse`…); never an address. */
  detail: string | null;
  /** The addresses must never be mailed again (a permanent bounce, a complaint). */
  suppresses: boolean;
}

export type SesEvent = { kind: "feedback"; feedback: SesFeedback } | { kind: "ignored"; eventType: string };

/** Documented types the platform does nothing with; `AmazonSnsSubscriptionSucceeded` is SES's test message. */
const IGNORED_TYPES = new Set(["Send", "Delivery", "Reject", "Open", "Click", "Rendering Failure", "DeliveryDelay", "Subscription", "AmazonSnsSubscriptionSucceeded"]);
const BOUNCE_TYPES = new Set(["Permanent", "Transient", "Undetermined"]);
/** SES's subtypes and feedback types are words (`MailboxFull`, `auth-failure`): anything else is not stored. */
const WORD = /^[A-Za-z][A-Za-z-]{0,49}$/;
/** The ARF feedback type of a recipient saying the email is *not* spam: recorded, never held against them. */
const NOT_SPAM = "not-spam";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const word = (value: unknown): string | undefined => (typeof value === "string" && WORD.test(value) ? value : undefined);

export function parseSesEvent(message: string): SesEvent {
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    throw new InvalidEventError("SES event is not JSON");
  }
  if (!isObject(event)) throw new InvalidEventError("SES event is not a JSON object");
  const type = event.eventType ?? event.notificationType;
  if (type === "Bounce") return { kind: "feedback", feedback: parseBounce(event) };
  if (type === "Complaint") return { kind: "feedback", feedback: parseComplaint(event) };
  if (typeof type === "string" && IGNORED_TYPES.has(type)) return { kind: "ignored", eventType: type };
  throw new InvalidEventError(`unknown SES event type ${word(type) ?? "(missing or not a word)"}`);
}

function parseBounce(event: Json): SesFeedback {
  const bounce = part(event, "bounce");
  const bounceType = bounce.bounceType;
  if (typeof bounceType !== "string" || !BOUNCE_TYPES.has(bounceType)) throw new InvalidEventError("Bounce with an unknown bounceType");
  const subType = word(bounce.bounceSubType);
  return {
    eventType: "Bounce",
    ...common(event, bounce, "bouncedRecipients"),
    detail: subType ? `${bounceType}/${subType}` : bounceType,
    // Undetermined: SES could not tell why; like a transient bounce it is counted, not acted on.
    suppresses: bounceType === "Permanent",
  };
}

function parseComplaint(event: Json): SesFeedback {
  const complaint = part(event, "complaint");
  // The feedback type comes only with a feedback report; the subtype says SES itself held the email back.
  const detail = word(complaint.complaintFeedbackType) ?? word(complaint.complaintSubType) ?? null;
  return { eventType: "Complaint", ...common(event, complaint, "complainedRecipients"), detail, suppresses: detail !== NOT_SPAM };
}

function part(event: Json, name: "bounce" | "complaint"): Json {
  const value = event[name];
  if (!isObject(value)) throw new InvalidEventError(`${name === "bounce" ? "Bounce" : "Complaint"} without its ${name} object`);
  return value;
}

function common(event: Json, feedback: Json, recipientsField: string): Pick<SesFeedback, "feedbackId" | "sesMessageId" | "occurredAt" | "recipients"> {
  const mail = isObject(event.mail) ? event.mail : {};
  if (typeof feedback.feedbackId !== "string" || feedback.feedbackId.length === 0 || feedback.feedbackId.length > 150) {
    throw new InvalidEventError("feedback without a feedbackId");
  }
  if (typeof mail.messageId !== "string" || mail.messageId.length === 0) throw new InvalidEventError("feedback without mail.messageId");
  const occurredAt = new Date(typeof feedback.timestamp === "string" ? feedback.timestamp : NaN);
  if (Number.isNaN(occurredAt.getTime())) throw new InvalidEventError("feedback without a valid timestamp");
  const listed = feedback[recipientsField];
  const recipients = Array.isArray(listed) ? listed.map((r) => (isObject(r) ? r.emailAddress : undefined)) : [];
  if (recipients.length === 0 || !recipients.every((a): a is string => typeof a === "string" && /^[^@\s]+@[^@\s]+$/.test(a.trim()) && a.length <= 320)) {
    throw new InvalidEventError(`feedback whose ${recipientsField} are missing or not addresses`);
  }
  return { feedbackId: feedback.feedbackId, sesMessageId: mail.messageId, occurredAt, recipients };
}
