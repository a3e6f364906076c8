import assert from "node:assert/strict";
import { LocalPlatform, startLocalPlatform } from "../../../local/platform";
import { eventually } from "../support/eventually";
import { recordingPublisher } from "../support/recording-publisher";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";

/**
 * SNS itself cannot run here: a switch in front of the in-process SNS makes publishing throw, as
 * the SNS client does while SNS is unreachable. The outbox, the relay and its backoff, the handler
 * and SES behind it are the real ones.
 */
describe("faults: SNS publishing fails for a while", () => {
  let sns: ReturnType<typeof recordingPublisher>;
  let underTest: UnderTest<LocalPlatform>;
  before(async () => {
    underTest = await startUnderTest(startLocalPlatform, { wrapPublisher: (inner) => (sns = recordingPublisher(inner)) });
  });
  after(() => underTest?.remove());

  it("when SNS fails under load, then registration keeps answering 201 and the backlog drains afterwards in order, each event once", async () => {
    const { api } = underTest.platform;
    const load = startRegistrationLoad(api.url, { concurrency: 6 });
    await eventually(() => countStatus(load.answers, 201) >= 30, 10_000, "registrations before the outage");

    sns.fail(true);
    const publishedBefore = sns.published.length;
    const answeredBefore = load.answers.length;
    await eventually(async () => {
      const failedAttempts = await underTest.db("outbox").whereNull("published_at").where("attempts", ">=", 2).first();
      return failedAttempts !== undefined && load.answers.length - answeredBefore >= 100;
    }, 10_000, "failed publications while registrations go on");
    sns.fail(false);
    const answers = await load.stop();

    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([201]), "registration does not depend on SNS");
    assert.ok(sns.published.length - publishedBefore < answers.length - answeredBefore, "the outage held events back");
    const summary = await underTest.expectNothingLost(answers);
    assert.equal(summary.customers, answers.length);
    const seqOf = new Map((await underTest.db("outbox").select("id", "seq")).map((e) => [e.id, Number(e.seq)]));
    const publishedSeqs = sns.published.map((m) => seqOf.get(m.id)!);
    assert.equal(new Set(publishedSeqs).size, answers.length, "each event accepted by SNS once");
    assert.deepEqual(publishedSeqs, [...publishedSeqs].sort((a, b) => a - b), "events published in the order they were stored");
  });
});
