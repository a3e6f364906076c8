import assert from "node:assert/strict";
import { LocalPlatform, startLocalPlatform } from "../../../local/platform";
import { eventually } from "../support/eventually";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";

describe("faults: registrations outpace the campaign function", () => {
  let underTest: UnderTest<LocalPlatform>;
  before(async () => {
    underTest = await startUnderTest(startLocalPlatform, { local: { sesLatencyMs: 20 } });
  });
  after(() => underTest?.remove());

  // Events wait in the queue, not in memory and not for a database connection: a burst can neither
  // exhaust the function's pool nor be lost with the process.
  it("when a burst arrives, then no more invocations run at once than the mapping's maximum concurrency, and every customer gets one email", async () => {
    const load = startRegistrationLoad(underTest.platform.api.url, { concurrency: 16 });
    await eventually(() => countStatus(load.answers, 201) >= 300, 15_000, "a burst of registrations");
    const answers = await load.stop();

    await underTest.expectNothingLost(answers);
    const limit = underTest.platform.local.functionConcurrency;
    assert.ok(underTest.deliveries.mostAtOnce() <= limit, `${underTest.deliveries.mostAtOnce()} invocations ran at once, for a maximum concurrency of ${limit}`);
    assert.ok(underTest.deliveries.mostAtOnce() > 1, "the burst did run invocations side by side");
  });
});
