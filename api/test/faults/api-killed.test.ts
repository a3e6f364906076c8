import assert from "node:assert/strict";
import { LocalServices, startLocalServices } from "../../../local/platform";
import { outboxBacklog } from "../../src/outbox/repository";
import { eventually } from "../support/eventually";
import { apiProcesses } from "./support/api-processes";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";

describe("faults: the API process is killed (SIGKILL) under load", () => {
  let underTest: UnderTest<LocalServices>;
  let processes: ReturnType<typeof apiProcesses>;
  before(async () => {
    underTest = await startUnderTest(startLocalServices);
    processes = apiProcesses(underTest.platform.databaseUrls.api);
  });
  after(async () => {
    await processes?.killAll();
    await underTest?.remove();
  });

  it("when the API is killed with committed events unpublished, then a restarted API publishes them once their lease ends and every 201 gets exactly one email", async () => {
    const { sns } = underTest.platform;
    sns.setLatency(200); // the relay falls behind: committed events wait in the outbox
    const first = await processes.start(sns.url, { OUTBOX_LEASE_MS: "1000" });
    const load = startRegistrationLoad(first.url, { concurrency: 6 });
    // Killed while SNS holds publications it will accept: published, yet never marked so.
    await eventually(() => countStatus(load.answers, 201) >= 150 && sns.requests().inFlight > 0, 15_000, "registrations, a publication in flight");

    first.child.kill("SIGKILL");
    await first.exited;
    const answers = await load.stop();
    const left = (await outboxBacklog(underTest.db)).pending;
    sns.setLatency(0);
    await processes.start(sns.url, { OUTBOX_LEASE_MS: "1000" });

    assert.ok(left > 0, "the killed process left committed events unpublished");
    const summary = await underTest.expectNothingLost(answers, { redeliveryAllowed: true });
    assert.ok(summary.redelivered > 0, "the batches in flight at the kill were published again, and emailed once");
  });
});
