import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Knex } from "knex";
import request from "supertest";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { ApiProcess, spawnApi, waitFor } from "./support/api-process";
import { aRegistration } from "./support/builders";
import { eventually } from "./support/eventually";
import { conformingRequest } from "./support/openapi-conformance";
import { testApiEnv } from "./support/running-api";

/** How the process's connections are told apart from the test's own in pg_stat_activity. */
const APPLICATION = "api-under-test";

/**
 * SNS has no local endpoint: the SDK is pointed at a closed port, so the relay's publications fail
 * fast and the events stay in the outbox, as in an SNS outage.
 */
const processEnv = (databaseUrl: string) =>
  testApiEnv(`${databaseUrl}?application_name=${APPLICATION}`, {
    LOG_LEVEL: "info",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_SNS: "http://127.0.0.1:9",
  });

const requestLine = (api: ApiProcess, id: string) => waitFor(api, (l) => (l.req as { id?: string } | undefined)?.id === id);

describe("the API process", () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.destroy());

  describe("its logs", () => {
    let api: ApiProcess;
    before(async () => {
      api = await spawnApi(processEnv(database.apiUrl));
    });
    after(() => api.child.kill("SIGKILL"));

    it("when requests are served, then each is one JSON line on stdout with its request id, status and duration", async () => {
      await conformingRequest(api.url).get("/").set("x-request-id", "log-ok-1").expect(200);
      await conformingRequest(api.url).post("/verify-registration").set("x-request-id", "log-bad-1").send({}).expect(400);

      const ok = await requestLine(api, "log-ok-1");
      const bad = await requestLine(api, "log-bad-1");

      assert.deepEqual([ok.res, bad.res], [{ status: 200 }, { status: 400 }]);
      for (const line of [ok, bad]) {
        assert.equal(typeof line.responseTime, "number");
        assert.equal(line.service, "api");
        assert.ok(!Number.isNaN(Date.parse(line.time as string)));
      }
      assert.equal(api.logLines().filter((l) => (l.req as { id?: string } | undefined)?.id === "log-ok-1").length, 1);
    });

    it("when a customer registers, is refused and is looked up, then no log line holds their email or phone", async () => {
      const localPart = `leak.check.${randomUUID().slice(0, 8)}`;
      const body = aRegistration({ email_id: `${localPart}@Example.com`, phone: "+1 (416) 555-0199" });
      const client = () => conformingRequest(api.url);
      const ids = ["leak-1", "leak-2", "leak-3", "leak-4"];

      await client().post("/customer-registration").set("x-request-id", ids[0]).send(body).expect(201);
      await client().post("/customer-registration").set("x-request-id", ids[1]).send(body).expect(409);
      await client().post("/customer-registration").set("x-request-id", ids[2]).send({ ...body, phone: "call me" }).expect(400);
      await client().post("/verify-registration").set("x-request-id", ids[3]).send({ email_id: body.email_id }).expect(200);
      for (const id of ids) await requestLine(api, id);
      // The relay's failed publication is logged too, and the event it carries holds the email.
      await eventually(async () => {
        const event = await database.db("outbox").whereRaw("payload::jsonb -> 'customer' ->> 'email' = ?", [body.email_id!.toString().toLowerCase()]).first();
        return event?.attempts > 0;
      });

      const everything = (api.stdout() + api.stderr()).toLowerCase();
      for (const secret of [localPart, "4165550199", "555-0199", "555 0199"]) {
        assert.ok(!everything.includes(secret), `the logs contain ${secret}`);
      }
    });
  });

  describe("on SIGTERM", () => {
    let api: ApiProcess;
    let holder: Knex.Transaction;
    afterEach(async () => {
      api?.child.kill("SIGKILL");
      if (holder && !holder.isCompleted()) await holder.rollback();
    });

    it("when a request is in flight, then it completes, new connections are refused, and the process closes its pool and exits 0", async () => {
      api = await spawnApi(processEnv(database.apiUrl));
      // Hold the request: an uncommitted row with the same email makes its insert wait on the unique index.
      const email = `drain.${randomUUID().slice(0, 8)}@example.com`;
      holder = await database.db.transaction();
      await holder("customers").insert({ first_name: "H", last_name: "H", email, phone: "1234567", province: "P", city: "C", postal_code: "A1A" });
      const response = conformingRequest(api.url).post("/customer-registration").set("x-request-id", "drain-1").send(aRegistration({ email_id: email })).then((res) => res);
      await eventually(async () => (await lockWaiters(database)) > 0);
      assert.ok((await connectionsFrom(database)) > 0);

      api.child.kill("SIGTERM");
      await waitFor(api, (l) => l.msg === "shutting down");

      await assert.rejects(request(api.url).get("/health"), /ECONNREFUSED/);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(api.child.exitCode, null, "the process waits for the request in flight");
      await holder.rollback();
      assert.equal((await response).status, 201);
      assert.equal(await api.exited, 0);
      const order = api.logLines().map((l) => (l.req as { id?: string } | undefined)?.id ?? l.msg);
      const [served, stopped] = [order.indexOf("drain-1"), order.indexOf("registration API stopped")];
      assert.ok(served >= 0 && served < stopped, order.join(" | "));
      assert.equal(await connectionsFrom(database), 0, "the pool is closed");
    });
  });

  it("when a required variable is missing, then the process exits 1 with a message naming it", async () => {
    const { SNS_TOPIC_ARN: _missing, ...env } = processEnv(database.apiUrl);

    const api = await spawnApi(env, { waitForListening: false });

    assert.equal(await api.exited, 1);
    assert.match(api.stderr(), /SNS_TOPIC_ARN/);
  });

  it("when a migration of this code is not applied, then the process exits 1 with a JSON line naming it and saying how to apply it", async () => {
    const behind = await createTestDatabase();
    try {
      const newest = await behind.db("knex_migrations").orderBy("id", "desc").first();
      await behind.db("knex_migrations").where({ id: newest.id }).delete(); // as if deployed before its migration ran

      const api = await spawnApi(processEnv(behind.apiUrl), { waitForListening: false });

      assert.equal(await api.exited, 1);
      const fatal = api.logLines().find((l) => l.level === "fatal");
      const message = String((fatal?.err as { message?: string } | undefined)?.message);
      assert.match(message, new RegExp(`not applied \\(${newest.name}\\)`));
      assert.match(message, /npm run migrate/);
      assert.equal(api.logLines().some((l) => l.msg === "registration API listening"), false);
    } finally {
      await behind.destroy();
    }
  });
});

async function lockWaiters({ db }: TestDatabase): Promise<number> {
  const [{ n }] = await db("pg_stat_activity").whereRaw("datname = current_database() AND wait_event_type = 'Lock'").count({ n: "*" });
  return Number(n);
}

async function connectionsFrom({ db }: TestDatabase): Promise<number> {
  const [{ n }] = await db("pg_stat_activity").where({ application_name: APPLICATION }).count({ n: "*" });
  return Number(n);
}
