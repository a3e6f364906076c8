import assert from "node:assert/strict";
import { RunningApi } from "../src/main";
import { aRegistration } from "./support/builders";
import { conformingRequest } from "./support/openapi-conformance";
import { OwnPostgres, startOwnPostgres, startTestApi } from "./support/running-api";

describe("restarting the platform", () => {
  let postgres: OwnPostgres;
  const running: RunningApi[] = [];
  before(async () => {
    postgres = await startOwnPostgres();
  });
  after(async () => {
    await Promise.all(running.map((api) => api.stop()));
    await postgres?.remove();
  });
  const start = async () => {
    const api = await startTestApi(postgres.server.url());
    running.push(api);
    return api;
  };

  it("when the API and the database stop and start again, then registered customers are still there", async () => {
    const first = await start();
    const body = aRegistration({ email_id: "Kept@Example.com" });
    const registered = await conformingRequest(first.url).post("/customer-registration").send(body).expect(201);

    await first.stop();
    await postgres.server.stop();
    await postgres.restart();
    const second = await start();

    const verification = await conformingRequest(second.url).post("/verify-registration").send({ email_id: "kept@example.com" });
    assert.deepEqual(verification.body, { email_id: "kept@example.com", registered: true });
    const rows = await second.db("customers").where({ email: "kept@example.com" });
    assert.deepEqual(rows.map((r: { id: string }) => r.id), [registered.body.id]);
    await conformingRequest(second.url).post("/customer-registration").send(body).expect(409);
  });
});
