import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { databaseSendRateLimiter } from "../src/email/send-rate-limiter";

/** 20 emails a second: the bucket holds 10, of which broadcasts leave 2 to welcome emails. */
const RATE = 20;

describe("sharing SES's rate: welcome emails first", () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.destroy());

  const limiter = () => databaseSendRateLimiter(database.db, { ratePerSecond: RATE });
  const farDeadline = () => Date.now() + 60_000;

  it("when welcome senders have to wait, then broadcasts get no token until they no longer do, and welcome emails keep theirs", async () => {
    const welcome = limiter();
    const broadcast = limiter();
    const welcomeGrants: number[] = [];
    // A burst of 30 welcome emails: the bucket's 10, then one every 50 ms, each after a wait.
    const burst = (async () => {
      for (let i = 0; i < 30; i++) {
        await welcome.acquire();
        welcomeGrants.push(performance.now());
      }
    })();
    await sleep(100); // the burst has emptied the bucket and is waiting

    const granted = await broadcast.acquireForBroadcast(5, farDeadline());
    const broadcastGrantedAt = performance.now();
    await burst;

    assert.ok(granted >= 1);
    assert.equal(welcomeGrants.length, 30);
    assert.ok(broadcastGrantedAt > welcomeGrants[29], "the broadcast got its tokens only after the last welcome email");
  });

  it("when broadcasts take every token they may, then a lone welcome email still finds one at once, and broadcasts stay within the rate", async () => {
    const started = performance.now();
    let broadcastTokens = 0;
    const senders = Array.from({ length: 4 }, async () => {
      const broadcast = limiter();
      while (performance.now() - started < 2_000) broadcastTokens += await broadcast.acquireForBroadcast(25, farDeadline());
    });
    const welcome = limiter();
    for (let i = 0; i < 8; i++) {
      await sleep(200);
      await welcome.acquire();
    }
    await Promise.all(senders);
    const seconds = (performance.now() - started) / 1000;

    const [bucket] = await database.db("send_rate_limits").select("welcome_waited_at");
    assert.equal(bucket.welcome_waited_at, null, "no welcome sender had to wait");
    assert.ok(broadcastTokens > 0, "broadcasts sent meanwhile");
    assert.ok(broadcastTokens + 8 <= RATE / 2 + RATE * seconds, `${broadcastTokens} broadcast and 8 welcome tokens in ${seconds.toFixed(2)} s at ${RATE}/s`);
  });

  it("when no token can be had before the deadline, then a broadcast sender gets none rather than waiting past it", async () => {
    const welcome = limiter();
    for (let i = 0; i < RATE / 2 + 1; i++) await welcome.acquire(); // the bucket emptied, and a welcome sender waited

    const granted = await limiter().acquireForBroadcast(5, Date.now() + 200);

    assert.equal(granted, 0);
  });
});
