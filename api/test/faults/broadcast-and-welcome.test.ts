import assert from "node:assert/strict";
import { LocalPlatform, startLocalPlatform } from "../../../local/platform";
import { eventually } from "../support/eventually";
import { expectOneEmailPerRecipient, launchBroadcast, manyConsentingCustomers } from "./support/broadcasts";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";

const QUOTA = 30;

describe("faults: welcome emails during a broadcast that uses the whole SES quota", () => {
  let underTest: UnderTest<LocalPlatform>;
  before(async () => {
    underTest = await startUnderTest(startLocalPlatform, { env: { SES_MAX_SEND_RATE: String(QUOTA) }, local: { sesMaxSendRate: QUOTA, sesLatencyMs: 50, snsLatencyMs: 20 } });
  });
  after(() => underTest?.remove());

  it("when customers register while a broadcast sends at the quota, then each gets their welcome email while the broadcast is still sending, and none waits for a token", async function () {
    this.timeout(120_000);
    const { db, platform } = underTest;
    await manyConsentingCustomers(db, 30 * QUOTA, "Ontario"); // half a minute of the quota
    const broadcast = await launchBroadcast(platform, db, { provinces: ["Ontario"] });
    const sentSoFar = async () => (await db("broadcast_deliveries").where({ broadcast_id: broadcast.id, status: "sent" }).count({ n: "*" }))[0].n;
    await eventually(async () => Number(await sentSoFar()) >= 3 * QUOTA, 30_000, "the broadcast sending at the quota");

    const load = startRegistrationLoad(platform.api.url, { concurrency: 1, perSecond: 2 });
    await eventually(() => countStatus(load.answers, 201) >= 20, 30_000, "20 registrations");
    const answers = await load.stop();
    await eventually(async () => Number((await db("welcome_emails").whereNotNull("ses_message_id").count({ n: "*" }))[0].n) >= answers.length, 30_000, "every welcome email sent");

    const welcomes: { customer_id: string; sent_at: Date; ses_message_id: string }[] = await db("welcome_emails").select("customer_id", "sent_at", "ses_message_id");
    const inMailbox = new Set((await platform.ses!.emails()).map((e) => e.messageId));
    assert.equal(welcomes.length, countStatus(answers, 201));
    assert.ok(welcomes.every((w) => inMailbox.has(w.ses_message_id)));
    const lastWelcome = Math.max(...welcomes.map((w) => w.sent_at.getTime()));
    const { status, finished_at } = await db("broadcasts").where({ id: broadcast.id }).first();
    assert.ok(status === "sending" || finished_at.getTime() > lastWelcome, "the last welcome email went out before the broadcast finished");
    const [bucket] = await db("send_rate_limits").select("welcome_waited_at");
    assert.equal(bucket.welcome_waited_at, null, "no welcome email had to wait for SES's quota");

    await eventually(async () => (await db("broadcasts").where({ id: broadcast.id }).first()).status === "finished", 60_000, "the broadcast finished");
    await expectOneEmailPerRecipient(db, broadcast.id, await platform.ses!.emails());
  });
});
