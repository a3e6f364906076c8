/**
 * The one definition of "nothing lost, nothing invented", checked after every fault test and the
 * soak, once the outbox and SNS have drained: every registration that answered 201 is stored, its
 * event was published and handled, and exactly one welcome email went to it; refused registrations
 * left nothing; nobody else was emailed; nothing was dead-lettered. All violations are listed at once.
 */
import { Knex } from "knex";
import { MailboxEmail } from "../../../../local/aws/ses-endpoint";
import { RegistrationAnswer } from "./registrations";

export interface Observed {
  db: Knex;
  /** Every email the mailbox received during the run (see `mailboxWatch`). */
  emails: MailboxEmail[];
  /** Successful campaign-handler invocations per event id. */
  deliveries: ReadonlyMap<string, number>;
  /** How many messages SNS dead-lettered. */
  deadLetters: number;
  /**
   * True after a crash between SNS accepting an event and the relay marking it published (a killed
   * process, the database gone mid-commit): the event is then published again (at-least-once), and
   * only the email must still be sent once.
   */
  redeliveryAllowed?: boolean;
}

export interface InvariantSummary {
  customers: number;
  emails: number;
  /** Deliveries beyond the first, over all events. */
  redelivered: number;
  /** Registrations without an answer that turned out stored (their commit won the race). */
  storedWithoutAnswer: number;
}

interface StoredCustomer {
  id: string;
  email: string;
}

export async function expectNothingLost(answers: readonly RegistrationAnswer[], observed: Observed): Promise<InvariantSummary> {
  const problems: string[] = [];
  if (observed.deadLetters) problems.push(`${observed.deadLetters} message(s) were dead-lettered`);
  const customers: StoredCustomer[] = await observed.db("customers").select("id", "email");
  const byEmail = new Map(customers.map((c) => [c.email, c]));
  const sent = groupBy(answers, (a) => a.email);

  for (const a of answers) {
    if (a.status >= 500 && a.status !== 503) problems.push(`${a.email} answered ${a.status}: only 503 may signal an outage`);
    if (a.status === 201 && byEmail.get(a.email)?.id !== a.id) problems.push(`${a.email} answered 201 as ${a.id} but is not stored so`);
  }
  let storedWithoutAnswer = 0;
  for (const c of customers) {
    const statuses = (sent.get(c.email) ?? []).map((a) => a.status);
    if (statuses.includes(201)) continue;
    if (statuses.includes(0)) storedWithoutAnswer++;
    else problems.push(`${c.email} is stored, yet its registration answered ${statuses.join(", ") || "nothing: nobody sent it"}`);
  }

  const events = groupBy(
    await observed.db("outbox").select("id", "published_at", observed.db.raw("payload::jsonb #>> '{customer,id}' AS customer_id")),
    (e) => e.customer_id as string,
  );
  const welcomes = groupBy(await observed.db("welcome_emails").select("customer_id", "event_id", "ses_message_id"), (w) => w.customer_id as string);
  const emails = groupBy(observed.emails, (e) => e.destination.to.join(", "));
  const exactlyOne = <T>(list: T[] | undefined, what: string): T | undefined => {
    if (list?.length === 1) return list[0];
    problems.push(`${what}: ${list?.length ?? 0}, not 1`);
    return undefined;
  };
  let redelivered = 0;
  for (const c of customers) {
    const event = exactlyOne(events.get(c.id), `${c.email}: customer.registered events`);
    const welcome = exactlyOne(welcomes.get(c.id), `${c.email}: welcome_emails rows`);
    const email = exactlyOne(emails.get(c.email), `${c.email}: emails received`);
    if (event && !event.published_at) problems.push(`${c.email}: event still unpublished`);
    const delivered = event ? (observed.deliveries.get(event.id) ?? 0) : 0;
    if (event && (delivered === 0 || (delivered > 1 && !observed.redeliveryAllowed))) problems.push(`${c.email}: event handled ${delivered} times`);
    redelivered += Math.max(0, delivered - 1);
    if (event && welcome && welcome.event_id !== event.id) problems.push(`${c.email}: welcome email recorded for event ${welcome.event_id}, not ${event.id}`);
    if (welcome && email && welcome.ses_message_id !== email.messageId) problems.push(`${c.email}: the email received is not the one recorded as sent`);
  }
  const customerIds = new Set(customers.map((c) => c.id));
  for (const [customerId, announced] of events) {
    if (!customerIds.has(customerId)) problems.push(`${announced.length} event(s) announce customer ${customerId}, who is not stored`);
  }
  const eventIds = new Set([...events.values()].flat().map((e) => e.id as string));
  for (const eventId of observed.deliveries.keys()) {
    if (!eventIds.has(eventId)) problems.push(`event ${eventId} was handled, but no such event was stored`);
  }
  for (const [to, received] of emails) {
    if (!byEmail.has(to)) problems.push(`${received.length} email(s) went to ${to}, who is not a stored customer`);
  }

  if (problems.length) {
    const shown = problems.slice(0, 20).join("\n  ");
    throw new Error(`${problems.length} invariant violation(s):\n  ${shown}${problems.length > 20 ? "\n  …" : ""}`);
  }
  return { customers: customers.length, emails: observed.emails.length, redelivered, storedWithoutAnswer };
}

function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
