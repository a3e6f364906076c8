import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import knex, { Knex } from "knex";
import { freePort } from "../../../local/embedded-postgres";
import { MailboxEmail } from "../../../local/aws/ses-endpoint";
import { eventually } from "../support/eventually";
import { killGroup, npmStart, StartedPlatform, stopIfRunning } from "./support/npm-start";
import { countStatus, startRegistrationLoad } from "./support/registrations";

describe("faults: the whole local platform is killed (SIGKILL) mid-burst, PostgreSQL with it", () => {
  let dataDir: string;
  let platform: StartedPlatform | undefined;
  let db: Knex | undefined;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "ecom-crash-"));
  });
  after(async () => {
    await db?.destroy();
    await stopIfRunning(platform);
    await rm(dataDir, { recursive: true, force: true });
  });

  it("when npm start is SIGKILLed with events in the outbox, the queue and SES, then after a restart every registered customer gets their welcome email", async function () {
    this.timeout(180_000);
    const ports = { api: await freePort(), ses: await freePort() };
    platform = await npmStart(dataDir, ports);
    const load = startRegistrationLoad(platform.apiUrl, { concurrency: 8 });
    const mailboxCount = async (url: string) => ((await (await fetch(`${url}/store`)).json()) as { emails: unknown[] }).emails.length;
    await eventually(async () => countStatus(load.answers, 201) >= 400 && (await mailboxCount(platform!.mailboxUrl)) >= 50, 60_000, "registrations and emails flowing");
    const before = knex({ client: "pg", connection: platform.databaseUrl, pool: { min: 0, max: 1 } });
    const backlog = async () =>
      (await before.raw("SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL) + (SELECT count(*) FROM local_aws.queue_messages) AS n")).rows[0].n;
    await eventually(async () => Number(await backlog()) >= 20, 30_000, "events waiting in the outbox and the queue").finally(() => before.destroy());

    await killGroup(platform, "SIGKILL"); // Node, PostgreSQL, the SNS/SQS/SES stand-ins: all at once
    const answers = await load.stop();
    platform = await npmStart(dataDir, ports); // PostgreSQL recovers from its WAL; the mailbox from its file

    db = knex({ client: "pg", connection: platform.databaseUrl, pool: { min: 0, max: 2 } });
    const customers: { id: string; email: string }[] = await db("customers").select("id", "email");
    const stored = new Map(customers.map((c) => [c.email, c.id]));
    for (const a of answers) if (a.status === 201) assert.equal(stored.get(a.email), a.id, `${a.email} answered 201 and is stored`);
    await eventually(async () => Number((await db!("welcome_emails").whereNotNull("ses_message_id").count({ n: "*" }))[0].n) >= customers.length, 90_000, "a welcome email recorded for every customer");
    await eventually(async () => (await db!.raw("SELECT count(*)::int AS n FROM local_aws.queue_messages")).rows[0].n === 0, 30_000, "the queues empty");

    const emails = ((await (await fetch(`${platform.mailboxUrl}/store`)).json()) as { emails: MailboxEmail[] }).emails;
    const recorded = new Map((await db("welcome_emails").select("customer_id", "ses_message_id")).map((w) => [w.customer_id, w.ses_message_id]));
    const byAddress = new Map<string, MailboxEmail[]>();
    for (const e of emails) byAddress.set(e.destination.to[0], [...(byAddress.get(e.destination.to[0]) ?? []), e]);
    const problems: string[] = [];
    let sentInTheWindow = 0;
    for (const { id, email } of customers) {
      const received = byAddress.get(email) ?? [];
      const theRecordedOne = received.filter((e) => e.messageId === recorded.get(id));
      if (theRecordedOne.length !== 1) problems.push(`${email}: the recorded email is not in the mailbox (${received.length} received)`);
      // The one documented gap: SES accepted an email whose acceptance the kill kept from being recorded.
      if (received.length === 2) sentInTheWindow++;
      else if (received.length !== 1) problems.push(`${email}: ${received.length} emails`);
    }
    for (const address of byAddress.keys()) if (!stored.has(address)) problems.push(`an email went to ${address}, who is not a customer`);
    assert.deepEqual(problems, []);
    assert.ok(countStatus(answers, 201) >= 400);
    assert.ok(sentInTheWindow <= 20, `${sentInTheWindow} customers got a second email: more than the sends that can be in flight at a kill`);
    const deadLetters = (await db.raw("SELECT count(*)::int AS n FROM local_aws.queue_messages WHERE queue LIKE '%-dlq'")).rows[0].n;
    assert.equal(deadLetters, 0);
  });
});
