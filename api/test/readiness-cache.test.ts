import assert from "node:assert/strict";
import { Knex } from "knex";
import request from "supertest";
import { createDatabase } from "../../shared/src/database";
import { conformingRequest } from "./support/openapi-conformance";
import { OwnPostgres, startOwnPostgres } from "./support/running-api";
import { createTestApp, silentLogger, TestApp } from "./support/test-app";

const CACHE_MS = 1_000;

/** Counts the statements the real Knex sends to PostgreSQL (its `query` event fires for each). */
function countQueries(db: Knex): { readonly count: number } {
  const counter = { count: 0 };
  db.on("query", () => counter.count++);
  return counter;
}

/** The readiness cache reads this clock, so a test moves time on by hand instead of waiting. */
function manualClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("readiness checks the database at most once per second", () => {
  describe("under a burst of checks", () => {
    const clock = manualClock();
    let ctx: TestApp;
    let shuttingDown = false;
    before(async () => {
      ctx = await createTestApp({ readiness: { cacheMs: CACHE_MS, now: clock.now }, isShuttingDown: () => shuttingDown });
    });
    after(() => ctx?.destroy());
    const burst = (n: number) => Promise.all(Array.from({ length: n }, () => request(ctx.app).get("/health/ready")));

    it("when 50 callers ask at once and again within the interval, then PostgreSQL receives one query; the next interval sends one more", async () => {
      const queries = countQueries(ctx.apiDb); // what the app connects with

      const first = await burst(50);
      clock.advance(CACHE_MS - 1);
      const second = await burst(50);
      const inFirstInterval = queries.count;
      clock.advance(1);
      const third = await burst(50);

      for (const res of [...first, ...second, ...third]) assert.equal(res.status, 200);
      assert.equal(inFirstInterval, 1);
      assert.equal(queries.count, 2);
    });

    it("when a shutdown begins while a ready answer is cached, then readiness answers 503 at once", async () => {
      await conformingRequest(ctx.app).get("/health/ready").expect(200);

      shuttingDown = true;
      const res = await conformingRequest(ctx.app).get("/health/ready");

      assert.equal(res.status, 503);
      assert.equal(res.body.error.code, "not-ready");
    });
  });

  describe("during a database outage", () => {
    const clock = manualClock();
    let postgres: OwnPostgres;
    let db: Knex;
    let ctx: TestApp;
    before(async () => {
      postgres = await startOwnPostgres();
      db = createDatabase({ kind: "url", url: postgres.server.url(), poolMax: 2 }, { region: "us-east-1", logger: silentLogger });
      ctx = await createTestApp({ db, readiness: { cacheMs: CACHE_MS, now: clock.now } });
    });
    after(async () => {
      await ctx?.destroy();
      await db?.destroy();
      await postgres?.remove();
    });
    const ready = () => conformingRequest(ctx.app).get("/health/ready");

    it("when PostgreSQL stops, then readiness answers 503 once the cached answer is a second old, and 200 again within a second of its return", async () => {
      assert.equal((await ready()).status, 200);

      await postgres.server.stop();
      try {
        const withinTheSecond = await ready();
        clock.advance(CACHE_MS);
        const afterIt = await ready();

        assert.equal(withinTheSecond.status, 200, "the answer cached before the outage");
        assert.equal(afterIt.status, 503);
        assert.equal(afterIt.body.error.code, "not-ready");
      } finally {
        await postgres.restart();
      }
      clock.advance(CACHE_MS);
      assert.equal((await ready()).status, 200);
    });
  });
});
