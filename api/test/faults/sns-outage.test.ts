import assert from "node:assert/strict";
import { LocalPlatform, startLocalPlatform } from "../../../local/platform";
import { eventually } from "../support/eventually";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";

/**
 * The local SNS endpoint answers 500 for a while, as SNS does during an outage; the API publishes
 * to it with the real SNS client. The outbox, the relay and its backoff, the queue, the function
 * and SES behind it are the real ones.
 */
describe("faults: SNS fails for a while", () => {
  let underTest: UnderTest<LocalPlatform>;
  before(async () => {
    underTest = await startUnderTest(startLocalPlatform, { local: { snsLatencyMs: 20 } });
  });
  after(() => underTest?.remove());

  it("when SNS fails under load, then registration keeps answering 201 and the backlog drains afterwards, each event once", async () => {
    const { api, sns } = underTest.platform;
    const load = startRegistrationLoad(api.url, { concurrency: 6 });
    await eventually(() => countStatus(load.answers, 201) >= 30, 10_000, "registrations before the outage");

    sns.setOutage(true);
    await eventually(() => sns.requests().inFlight === 0, 5_000, "calls begun before the outage answered");
    const acceptedBefore = sns.accepted();
    const answeredBefore = load.answers.length;
    await eventually(async () => {
      const failedAttempt = await underTest.db("outbox").whereNull("published_at").whereNotNull("last_error").first();
      return failedAttempt !== undefined && load.answers.length - answeredBefore >= 100;
    }, 10_000, "failed publications while registrations go on");
    const acceptedDuringOutage = sns.accepted() - acceptedBefore;
    sns.setOutage(false);
    const answers = await load.stop();

    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([201]), "registration does not depend on SNS");
    assert.equal(acceptedDuringOutage, 0, "nothing went through while SNS was down");
    const summary = await underTest.expectNothingLost(answers, { drainMs: 30_000 }); // backoffs reach 10 s
    assert.equal(summary.customers, answers.length);
    assert.equal(sns.accepted(), answers.length, "each event accepted by SNS once");
  });
});
