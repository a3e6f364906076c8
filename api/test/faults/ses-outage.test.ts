import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { LocalPlatform, startLocalPlatform } from "../../../local/platform";
import { eventually } from "../support/eventually";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";

/** Much shorter than the queue's retry window (maxReceiveCount visibility timeouts: three minutes here, an hour on AWS). */
const OUTAGE_MS = 1_500;

describe("faults: SES fails for a while", () => {
  let underTest: UnderTest<LocalPlatform>;
  before(async () => {
    underTest = await startUnderTest(startLocalPlatform);
  });
  after(() => underTest?.remove());

  it("when SES fails under load for less than the retry window, then the queue's redeliveries send each welcome email once and nothing is dead-lettered", async () => {
    const { api, ses } = underTest.platform;
    const load = startRegistrationLoad(api.url, { concurrency: 4, perSecond: 100 });
    await eventually(() => countStatus(load.answers, 201) >= 30, 10_000, "registrations before the outage");

    const answeredBefore = load.answers.length;
    ses!.setOutage(true);
    await sleep(OUTAGE_MS);
    ses!.setOutage(false);
    await eventually(() => countStatus(load.answers, 201) >= answeredBefore + 50, 10_000, "registrations after the outage");
    const answers = await load.stop();

    assert.ok(underTest.deliveries.failed() > 0, "records failed while SES was down");
    assert.equal(countStatus(answers, 201), answers.length, "registration does not depend on SES");
    const summary = await underTest.expectNothingLost(answers);
    assert.equal(summary.emails, answers.length);
  });
});
