import assert from "node:assert/strict";
import { LocalPlatform, startLocalPlatform } from "../../../local/platform";
import { eventually } from "../support/eventually";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";

/** A new production account's SES quota. The local SES refuses sends above it with `Throttling`, as SES does. */
const QUOTA = 14;

/**
 * How fast emails went out: the welcome_emails send times, first to last; with what a failure
 * needs to tell a slow start, a stall or a late straggler apart: the span, the longest pauses
 * between two sends and SES's throttles.
 */
async function sendRate(underTest: UnderTest<LocalPlatform>): Promise<{ rate: number; explained: string }> {
  const times = (await underTest.db("welcome_emails").orderBy("sent_at").pluck("sent_at")).map((at: Date) => at.getTime());
  const spanS = (times[times.length - 1] - times[0]) / 1000;
  const rate = (times.length - 1) / spanS;
  const longest = times.slice(1).map((at: number, i: number) => ({ ms: at - times[i], after: i + 1 })).sort((a, b) => b.ms - a.ms).slice(0, 3);
  const pauses = longest.map((p) => `${p.ms} ms after send ${p.after}`).join(", ");
  const explained = `${rate.toFixed(1)} emails/s for a quota of ${QUOTA}/s: ${times.length} sends over ${spanS.toFixed(1)} s, longest pauses ${pauses}, ${underTest.platform.ses!.throttled()} throttled by SES`;
  return { rate, explained };
}

async function burst(underTest: UnderTest<LocalPlatform>, registrations: number) {
  const load = startRegistrationLoad(underTest.platform.api.url, { concurrency: 16 });
  await eventually(() => countStatus(load.answers, 201) >= registrations, 30_000, `${registrations} registrations`);
  const answers = await load.stop();
  assert.equal(countStatus(answers, 201), answers.length);
  return answers;
}

describe("faults: a burst of registrations meets SES's sending quota", () => {
  describe("with sending paced to the quota", () => {
    let underTest: UnderTest<LocalPlatform>;
    before(async () => {
      underTest = await startUnderTest(startLocalPlatform, {
        env: { SES_MAX_SEND_RATE: String(QUOTA) },
        local: { sesMaxSendRate: QUOTA, sesLatencyMs: 50, snsLatencyMs: 20 },
      });
    });
    after(() => underTest?.remove());

    it("when 1,000 customers register at once, then each gets exactly one welcome email, nothing is dead-lettered, and SES is used at 90% of its quota or more", async function () {
      this.timeout(180_000);
      const answers = await burst(underTest, 1_000);

      const summary = await underTest.expectNothingLost(answers, { drainMs: 150_000 });

      assert.equal(summary.emails, answers.length);
      const { rate, explained } = await sendRate(underTest);
      assert.ok(rate >= 0.9 * QUOTA, explained);
      assert.ok(rate <= QUOTA * 1.05, `${explained}: it cannot exceed the quota`);
    });
  });

  describe("with sending paced above the real quota (a stack configured with the wrong rate)", () => {
    let underTest: UnderTest<LocalPlatform>;
    before(async () => {
      underTest = await startUnderTest(startLocalPlatform, {
        env: { SES_MAX_SEND_RATE: String(QUOTA * 3) },
        local: { sesMaxSendRate: QUOTA, sesLatencyMs: 50, snsLatencyMs: 20 },
      });
    });
    after(() => underTest?.remove());

    it("when SES throttles, then emails are delayed, never dead-lettered, and each customer still gets exactly one", async function () {
      this.timeout(120_000);
      const answers = await burst(underTest, 250);

      const summary = await underTest.expectNothingLost(answers, { drainMs: 90_000 });

      assert.ok(underTest.platform.ses!.throttled() > 0, "SES did throttle");
      assert.equal(summary.emails, answers.length);
    });
  });
});
