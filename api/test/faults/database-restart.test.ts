import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { LocalPlatform, startLocalPlatform } from "../../../local/platform";
import { eventually } from "../support/eventually";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";

describe("faults: PostgreSQL stops and restarts under load", () => {
  let underTest: UnderTest<LocalPlatform>;
  before(async () => {
    underTest = await startUnderTest(startLocalPlatform, { ownPostgres: true });
  });
  after(() => underTest?.remove());

  it("when PostgreSQL restarts mid-load, then the API answers 503 meanwhile, recovers without a restart, and every 201 gets its one email", async () => {
    const { api, postgres } = underTest.platform;
    const load = startRegistrationLoad(api.url, { concurrency: 6 });
    await eventually(() => countStatus(load.answers, 201) >= 50, 10_000, "registrations before the outage");

    await postgres!.stop();
    await eventually(() => countStatus(load.answers, 503) >= 20, 10_000, "503s while the database is down");
    await sleep(500); // down for a while, the pool's connections all gone
    await postgres!.start();
    const registeredBefore = countStatus(load.answers, 201);
    await eventually(() => countStatus(load.answers, 201) >= registeredBefore + 100, 15_000, "registrations after the restart");
    const answers = await load.stop();

    assert.deepEqual([...new Set(answers.map((a) => a.status))].sort(), [201, 503], "an outage answers 503, never 500");
    const ready = await fetch(`${api.url}/health/ready`);
    assert.equal(ready.status, 200, "the same process is ready again");
    const summary = await underTest.expectNothingLost(answers, { redeliveryAllowed: true });
    assert.equal(summary.customers, countStatus(answers, 201), "every 503 left nothing behind");
  });
});
