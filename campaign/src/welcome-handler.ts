/**
 * The campaign service's SNS adapter: each record's message is validated, then handed to the
 * welcome-email use case. Any failing record makes the invocation throw, so Lambda retries it
 * (records already handled are no-ops the second time) and finally sends it to the dead-letter
 * queue. A message that can never be processed is logged as such; it is never dropped silently.
 */
import { SNSEvent, SNSEventRecord } from "aws-lambda";
import { AppError } from "../../shared/src/app-error";
import { InvalidEventError, parseCustomerRegistered } from "../../shared/src/events/customer-registered";
import { Logger, maskEmail } from "../../shared/src/logger";
import { sendWelcomeEmail, WelcomeEmailDependencies } from "./welcome/send-welcome-email";

export interface WelcomeHandlerDependencies extends WelcomeEmailDependencies {
  logger: Logger;
}

export type SnsHandler = (event: SNSEvent) => Promise<void>;

export function createWelcomeHandler(deps: WelcomeHandlerDependencies): SnsHandler {
  return async (event) => {
    const failures: AppError[] = [];
    for (const record of event.Records) {
      try {
        await handleRecord(deps, record);
      } catch (err) {
        failures.push(err as AppError);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) {
      throw new AppError("records-failed", `${failures.length} of ${event.Records.length} SNS records failed`, {
        status: 500,
        cause: new AggregateError(failures),
      });
    }
  };
}

async function handleRecord(deps: WelcomeHandlerDependencies, record: SNSEventRecord): Promise<void> {
  const snsMessageId = record.Sns.MessageId;
  let event;
  try {
    event = parseCustomerRegistered(record.Sns.Message);
  } catch (err) {
    const reason = (err as InvalidEventError).message;
    // The message itself is never logged: it holds the customer's full email address.
    deps.logger.error(
      { snsMessageId, reason, ...identify(record.Sns.Message) },
      "rejected a customer.registered message that can never be processed; it goes to the dead-letter queue",
    );
    throw new AppError("invalid-event", `Invalid customer.registered message: ${reason}`, { status: 400, cause: err });
  }

  const context = { snsMessageId, eventId: event.event_id, customerId: event.customer.id, to: maskEmail(event.customer.email) };
  try {
    const outcome = await sendWelcomeEmail(deps, event);
    if (outcome.status === "customer-not-found") {
      deps.logger.warn(context, "customer no longer exists; no welcome email sent");
    } else {
      deps.logger.info({ ...context, ...outcome }, outcome.status === "sent" ? "welcome email sent" : "welcome email already sent");
    }
  } catch (err) {
    // SES's messages can quote the recipient; what is logged and rethrown is masked.
    const message = maskEmails(err instanceof Error ? err.message : String(err));
    deps.logger.warn({ ...context, err: { name: (err as Error)?.name, message } }, "welcome email failed; the platform will retry");
    throw new AppError("welcome-email-failed", `Welcome email for event ${event.event_id} failed: ${message}`, { status: 503, cause: err });
  }
}

/** Whatever identifies an invalid message without repeating its personal data. */
function identify(body: string): { eventId?: string; to?: string; messageBytes: number } {
  const messageBytes = Buffer.byteLength(body);
  try {
    const parsed = JSON.parse(body) as { event_id?: unknown; customer?: { email?: unknown } } | null;
    const [eventId, email] = [parsed?.event_id, parsed?.customer?.email];
    return {
      eventId: typeof eventId === "string" ? eventId.slice(0, 100) : undefined,
      to: typeof email === "string" ? maskEmail(email) : undefined,
      messageBytes,
    };
  } catch {
    return { messageBytes };
  }
}

function maskEmails(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, maskEmail);
}
