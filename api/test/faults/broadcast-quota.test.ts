import assert from "node:assert/strict";
import { LocalPlatform, startLocalPlatform } from "../../../local/platform";
import { eventually } from "../support/eventually";
import { expectOneEmailPerRecipient, launchBroadcast, manyConsentingCustomers } from "./support/broadcasts";
import { startUnderTest, UnderTest } from "./support/platform-under-test";

/** The local SES refuses sends above this rate with `Throttling`, as SES does above the account's quota. */
const QUOTA = 40;

async function broadcastTo(underTest: UnderTest<LocalPlatform>, customers: number, drainMs: number) {
  await manyConsentingCustomers(underTest.db, customers, "Ontario");
  const launchedAt = Date.now();
  const broadcast = await launchBroadcast(underTest.platform, underTest.db, { provinces: ["Ontario"] });
  await eventually(async () => (await underTest.db("broadcasts").where({ id: broadcast.id }).first()).status === "finished", drainMs, "the broadcast finished");
  // The last batch is deleted from the queue once its invocation has returned.
  await eventually(async () => (await underTest.platform.queueDepths()).broadcast === 0, 10_000, "the broadcast queue drained");
  return { ...broadcast, launchedAt };
}

/** How many of the broadcast's emails were recorded, and how long after the launch the last was. */
async function sendTimes(underTest: UnderTest<LocalPlatform>, broadcastId: string, launchedAt: number): Promise<{ emails: number; seconds: number }> {
  const { db } = underTest;
  const { last, n } = await db("broadcast_deliveries")
    .where({ broadcast_id: broadcastId, status: "sent" })
    .first(db.raw("max(updated_at) AS last"), db.raw("count(*)::int AS n"));
  return { emails: n, seconds: (last.getTime() - launchedAt) / 1000 };
}

describe("faults: a broadcast meets SES's sending quota", () => {
  describe("with sending paced to the quota", () => {
    let underTest: UnderTest<LocalPlatform>;
    before(async () => {
      underTest = await startUnderTest(startLocalPlatform, { env: { SES_MAX_SEND_RATE: String(QUOTA) }, local: { sesMaxSendRate: QUOTA, sesLatencyMs: 50, snsLatencyMs: 20 } });
    });
    after(() => underTest?.remove());

    // Pacing decides when an email may go; a machine too busy to send it at once can bunch a few
    // together, which SES may throttle (and the SDK then retries): rare, never a lost email.
    it("when a broadcast reaches 600 customers, then each gets exactly one email, no faster than the quota, SES throttles hardly any, and nothing is dead-lettered", async function () {
      this.timeout(90_000);
      const broadcast = await broadcastTo(underTest, 600, 60_000);

      await expectOneEmailPerRecipient(underTest.db, broadcast.id, await underTest.platform.ses!.emails());
      // From the launch to the last email: at most the bucket's half second saved up, then the quota's rate.
      const { emails, seconds } = await sendTimes(underTest, broadcast.id, broadcast.launchedAt);
      assert.ok(emails <= QUOTA / 2 + QUOTA * seconds, `${emails} emails ${seconds.toFixed(1)} s after the launch, for a quota of ${QUOTA}/s`);
      assert.ok(underTest.platform.ses!.throttled() <= 600 * 0.02, `${underTest.platform.ses!.throttled()} of 600 sends throttled`);
      assert.equal((await underTest.platform.queueDepths()).broadcastDeadLetters, 0);
    });
  });

  describe("with sending paced above the real quota (a stack configured with the wrong rate)", () => {
    let underTest: UnderTest<LocalPlatform>;
    before(async () => {
      underTest = await startUnderTest(startLocalPlatform, { env: { SES_MAX_SEND_RATE: String(QUOTA * 3) }, local: { sesMaxSendRate: QUOTA, sesLatencyMs: 50, snsLatencyMs: 20 } });
    });
    after(() => underTest?.remove());

    it("when SES throttles, then emails are delayed, never dead-lettered, and each customer still gets exactly one", async function () {
      this.timeout(120_000);
      const broadcast = await broadcastTo(underTest, 400, 100_000);

      assert.ok(underTest.platform.ses!.throttled() > 0, "SES did throttle");
      await expectOneEmailPerRecipient(underTest.db, broadcast.id, await underTest.platform.ses!.emails());
      assert.equal((await underTest.platform.queueDepths()).broadcastDeadLetters, 0);
    });
  });
});
