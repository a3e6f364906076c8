import assert from "node:assert/strict";
import { LocalServices, startLocalServices } from "../../../local/platform";
import { outboxBacklog } from "../../src/outbox/repository";
import { eventually } from "../support/eventually";
import { apiProcesses } from "./support/api-processes";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";
import { SnsEndpoint, startSnsEndpoint } from "./support/sns-endpoint";

describe("faults: the API process is killed (SIGKILL) under load", () => {
  let underTest: UnderTest<LocalServices>;
  let sns: SnsEndpoint;
  let processes: ReturnType<typeof apiProcesses>;
  before(async () => {
    underTest = await startUnderTest(startLocalServices);
    sns = await startSnsEndpoint(underTest.platform.sns);
    processes = apiProcesses(underTest.platform.env.DATABASE_URL!);
  });
  after(async () => {
    await processes?.killAll();
    await sns?.stop();
    await underTest?.remove();
  });

  it("when the API is killed with committed events unpublished, then a restarted API publishes them and every 201 gets exactly one email", async () => {
    sns.slowDown(50); // the relay falls behind: committed events wait in the outbox
    const first = await processes.start(sns.url);
    const load = startRegistrationLoad(first.url, { concurrency: 6 });
    // Killed while SNS holds a publication it will accept: published, yet never marked so.
    await eventually(() => countStatus(load.answers, 201) >= 150 && sns.inProgress() > 0, 15_000, "registrations, a publication in flight");

    first.child.kill("SIGKILL");
    await first.exited;
    const answers = await load.stop();
    const left = (await outboxBacklog(underTest.db)).pending;
    sns.slowDown(0);
    await processes.start(sns.url);

    assert.ok(left > 0, "the killed process left committed events unpublished");
    const summary = await underTest.expectNothingLost(answers, { redeliveryAllowed: true });
    assert.ok(summary.redelivered > 0, "the batch in flight at the kill was published again, and emailed once");
  });
});
