import assert from "node:assert/strict";
import { LocalServices, startLocalServices } from "../../../local/platform";
import { eventually } from "../support/eventually";
import { apiProcesses } from "./support/api-processes";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";
import { SnsEndpoint, startSnsEndpoint } from "./support/sns-endpoint";

describe("faults: two API processes run their relays against one database", () => {
  let underTest: UnderTest<LocalServices>;
  let sns: SnsEndpoint[];
  let processes: ReturnType<typeof apiProcesses>;
  before(async () => {
    underTest = await startUnderTest(startLocalServices);
    // One endpoint per process, both in front of the same SNS: each counts what its relay published.
    sns = await Promise.all([startSnsEndpoint(underTest.platform.sns), startSnsEndpoint(underTest.platform.sns)]);
    processes = apiProcesses(underTest.platform.env.DATABASE_URL!);
  });
  after(async () => {
    await processes?.killAll();
    await Promise.all(sns?.map((endpoint) => endpoint.stop()) ?? []);
    await underTest?.remove();
  });

  it("when registrations reach both processes, then each event is published once and each customer emailed once", async () => {
    const apis = await Promise.all(sns.map((endpoint) => processes.start(endpoint.url)));
    const load = startRegistrationLoad(apis.map((api) => api.url), { concurrency: 6 });
    await eventually(() => countStatus(load.answers, 201) >= 300, 15_000, "registrations");
    const answers = await load.stop();

    assert.equal(countStatus(answers, 201), answers.length);
    const summary = await underTest.expectNothingLost(answers);
    assert.equal(sns[0].accepted() + sns[1].accepted(), summary.customers, "no event published twice");
    assert.ok(sns[0].accepted() > 0 && sns[1].accepted() > 0, "both relays published");
  });
});
