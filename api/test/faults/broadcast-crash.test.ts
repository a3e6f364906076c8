import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import knex, { Knex } from "knex";
import { freePort } from "../../../local/embedded-postgres";
import { LocalQueues } from "../../../local/aws/queues";
import { MailboxEmail } from "../../../local/aws/ses-endpoint";
import { BROADCAST_QUEUE, broadcastQueues } from "../../../local/broadcast-queue";
import { localQueueSettings } from "../../../local/welcome-queue";
import { aBroadcast, launchedBody } from "../../../campaign/test/support/broadcast-fixture";
import { eventually } from "../support/eventually";
import { expectOneEmailPerRecipient, manyConsentingCustomers } from "./support/broadcasts";
import { killGroup, npmStart, StartedPlatform, stopIfRunning } from "./support/npm-start";

const QUOTA = 200;
const CUSTOMERS = 2_000;

describe("faults: the whole local platform is killed (SIGKILL) mid-broadcast, PostgreSQL with it", () => {
  let dataDir: string;
  let platform: StartedPlatform | undefined;
  let db: Knex | undefined;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "ecom-broadcast-crash-"));
  });
  after(async () => {
    await db?.destroy();
    await stopIfRunning(platform);
    await rm(dataDir, { recursive: true, force: true });
  });

  it("when npm start is SIGKILLed while a broadcast sends, then after a restart the broadcast finishes and each recipient has their email, a second one only for sends the kill cut off", async function () {
    this.timeout(180_000);
    const ports = { api: await freePort(), ses: await freePort() };
    const env = { SES_MAX_SEND_RATE: String(QUOTA), LOCAL_SES_MAX_SEND_RATE: String(QUOTA) };
    platform = await npmStart(dataDir, ports, env);
    const before = knex({ client: "pg", connection: platform.databaseUrl, pool: { min: 0, max: 2 } });
    let broadcastId: string;
    let sentBeforeKill: number;
    try {
      await manyConsentingCustomers(before, CUSTOMERS, "Ontario");
      broadcastId = (await aBroadcast(before, { segment: { provinces: ["Ontario"] } })).id;
      // Launched as the API will: its event on the broadcast queue, in SNS's envelope.
      const queues = await LocalQueues.open(before, broadcastQueues(localQueueSettings(20)));
      await queues.send(BROADCAST_QUEUE, [{ body: launchedBody(broadcastId) }]);
      const sent = async () => Number((await before("broadcast_deliveries").where({ broadcast_id: broadcastId, status: "sent" }).count({ n: "*" }))[0].n);
      await eventually(async () => (await sent()) >= CUSTOMERS / 5, 60_000, "the broadcast sending");
      sentBeforeKill = await sent();
    } finally {
      await before.destroy();
    }

    await killGroup(platform, "SIGKILL"); // Node, PostgreSQL, the SNS/SQS/SES stand-ins: all at once
    platform = await npmStart(dataDir, ports, env); // PostgreSQL recovers from its WAL; the mailbox from its file

    db = knex({ client: "pg", connection: platform.databaseUrl, pool: { min: 0, max: 2 } });
    await eventually(async () => (await db!("broadcasts").where({ id: broadcastId }).first()).status === "finished", 90_000, "the broadcast finished");
    const left = async () => (await db!.raw("SELECT queue, receive_count, attributes, left(body, 300) AS body FROM local_aws.queue_messages")).rows as object[];
    await eventually(async () => (await left()).length === 0, 30_000, "the queues empty").catch(async (err: Error) => {
      throw new Error(`${err.message}; left: ${JSON.stringify(await left())}`);
    });
    const emails = ((await (await fetch(`${platform.mailboxUrl}/store`)).json()) as { emails: MailboxEmail[] }).emails;
    // The one documented gap: SES accepted an email whose record the kill prevented. At most what
    // the quota lets be in flight at once (a second's worth) can have been caught so.
    await expectOneEmailPerRecipient(db, broadcastId, emails, QUOTA);
    assert.ok(sentBeforeKill < CUSTOMERS * 0.9, "the kill came mid-broadcast");
    const { targeted } = await db("broadcasts").where({ id: broadcastId }).first();
    assert.equal(targeted, CUSTOMERS);
    const deadLetters = (await db.raw("SELECT count(*)::int AS n FROM local_aws.queue_messages WHERE queue LIKE '%-dlq'")).rows[0].n;
    assert.equal(deadLetters, 0);
  });
});
