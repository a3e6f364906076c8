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
        await welcome.acquire(farDeadline());
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

  it("when a broadcast has just taken every token it may, then a welcome email still finds one at once", async () => {
    const broadcast = limiter();
    const welcome = limiter();

    for (let i = 0; i < 5; i++) {
      assert.ok((await broadcast.acquireForBroadcast(25, farDeadline())) > 0);
      await welcome.acquire(farDeadline());
    }

    const [bucket] = await database.db("send_rate_limits").select("welcome_waited_at");
    assert.equal(bucket.welcome_waited_at, null, "no welcome sender had to wait");
  });

  it("when several broadcast senders take tokens for two seconds, then together they stay within the rate", async () => {
    const started = performance.now();
    let tokens = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        const broadcast = limiter();
        while (performance.now() - started < 2_000) tokens += await broadcast.acquireForBroadcast(25, farDeadline());
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    assert.ok(tokens > 0);
    assert.ok(tokens <= RATE / 2 + RATE * seconds, `${tokens} tokens in ${seconds.toFixed(2)} s at ${RATE}/s`);
  });

  it("when no token can be had before the deadline, then a broadcast sender gets none rather than waiting past it", async () => {
    const welcome = limiter();
    const waited = async () => (await database.db("send_rate_limits").first("welcome_waited_at"))?.welcome_waited_at;
    while (!(await waited())) await welcome.acquire(farDeadline()); // until the bucket is empty and a welcome sender waited

    const granted = await limiter().acquireForBroadcast(5, Date.now() + 200);

    assert.equal(granted, 0);
  });
});
