import assert from "node:assert/strict";
import { LocalPlatform, startLocalPlatform } from "../../../local/platform";
import { SnsHandler } from "../../../campaign/src/welcome-handler";
import { loadCampaignConfig } from "../../../shared/src/config";
import { eventually } from "../support/eventually";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";

describe("faults: registrations outpace the campaign handler", () => {
  let running = 0;
  let mostAtOnce = 0;
  const measureConcurrency = (handle: SnsHandler): SnsHandler => async (event) => {
    mostAtOnce = Math.max(mostAtOnce, ++running);
    try {
      await handle(event);
    } finally {
      running--;
    }
  };
  let underTest: UnderTest<LocalPlatform>;
  before(async () => {
    underTest = await startUnderTest(startLocalPlatform, { wrapSubscriber: measureConcurrency });
  });
  after(() => underTest?.remove());

  // Unbounded, every queued event would wait for a connection at once, and past the pool's 10 s
  // acquire timeout a sustained burst fails them into the dead-letter queue (seen in the soak).
  it("when a burst arrives, then no more invocations run at once than the handler has connections, and every customer gets one email", async () => {
    const load = startRegistrationLoad(underTest.platform.api.url, { concurrency: 16 });
    await eventually(() => countStatus(load.answers, 201) >= 300, 15_000, "a burst of registrations");
    const answers = await load.stop();

    await underTest.expectNothingLost(answers);
    const connections = loadCampaignConfig(underTest.platform.env).database.poolMax;
    assert.ok(mostAtOnce <= connections, `${mostAtOnce} invocations ran at once, for ${connections} connections`);
    assert.ok(mostAtOnce > 1, "the burst did queue invocations");
  });
});
