import assert from "node:assert/strict";
import { LocalServices, startLocalServices } from "../../../local/platform";
import { eventually } from "../support/eventually";
import { apiProcesses } from "./support/api-processes";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";

describe("faults: two API processes run their relays against one database", () => {
  let underTest: UnderTest<LocalServices>;
  let processes: ReturnType<typeof apiProcesses>;
  before(async () => {
    underTest = await startUnderTest(startLocalServices, { local: { snsLatencyMs: 20 } });
    processes = apiProcesses(underTest.platform.databaseUrls.api);
  });
  after(async () => {
    await processes?.killAll();
    await underTest?.remove();
  });

  it("when registrations reach both processes, then each event is published once and each customer emailed once", async () => {
    const { sns } = underTest.platform;
    const apis = await Promise.all([processes.start(sns.url), processes.start(sns.url)]);
    const load = startRegistrationLoad(apis.map((api) => api.url), { concurrency: 6 });
    await eventually(() => countStatus(load.answers, 201) >= 300, 15_000, "registrations");
    const answers = await load.stop();

    assert.equal(countStatus(answers, 201), answers.length);
    const summary = await underTest.expectNothingLost(answers);
    assert.equal(sns.accepted(), summary.customers, "no event published twice");
  });
});
