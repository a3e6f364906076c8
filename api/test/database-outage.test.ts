import assert from "node:assert/strict";
import { RunningApi } from "../src/main";
import { aRegistration } from "./support/builders";
import { eventually } from "./support/eventually";
import { conformingRequest } from "./support/openapi-conformance";
import { OwnPostgres, startOwnPostgres, startTestApi } from "./support/running-api";

describe("when the database goes away and comes back", () => {
  let postgres: OwnPostgres;
  let api: RunningApi;
  before(async () => {
    postgres = await startOwnPostgres();
    api = await startTestApi(postgres.server.url());
  });
  after(async () => {
    await api?.stop();
    await postgres?.remove();
  });
  const client = () => conformingRequest(api.url);
  // Readiness checks the database at most once a second (http/health.ts): it follows within that.
  const readinessBecomes = (status: number) =>
    eventually(async () => (await client().get("/health/ready")).status === status, 3_000, `readiness ${status}`);

  it("when the database is down, then readiness and registrations answer 503 while liveness stays 200", async () => {
    await client().get("/health/ready").expect(200);
    const body = aRegistration();

    await postgres.server.stop();
    try {
      await readinessBecomes(503);
      const ready = await client().get("/health/ready");
      const registration = await client().post("/customer-registration").send(body);
      const verification = await client().post("/verify-registration").send({ email_id: body.email_id });
      const alive = await client().get("/health");

      assert.equal(ready.status, 503);
      assert.equal(ready.body.error.code, "not-ready");
      for (const res of [registration, verification]) {
        assert.equal(res.status, 503);
        assert.equal(res.body.error.code, "service-unavailable");
        assert.ok(Number(res.headers["retry-after"]) > 0);
      }
      assert.equal(alive.status, 200, "ECS must not replace a task because its database is down");
    } finally {
      await postgres.restart();
    }
    const after = await client().post("/verify-registration").send({ email_id: body.email_id }).expect(200);
    assert.equal(after.body.registered, false, "the refused registration left nothing behind");
  });

  it("when the database returns, then the same process is ready again and registrations succeed", async () => {
    await postgres.server.stop();
    await readinessBecomes(503);

    await postgres.restart();

    await readinessBecomes(200);
    const body = aRegistration();
    await client().post("/customer-registration").send(body).expect(201);
    const verification = await client().post("/verify-registration").send({ email_id: body.email_id }).expect(200);
    assert.equal(verification.body.registered, true);
  });
});
