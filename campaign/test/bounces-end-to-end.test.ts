import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { aRegistration } from "../../api/test/support/builders";
import { eventually } from "../../api/test/support/eventually";
import { testApiEnv } from "../../api/test/support/running-api";
import { silentLogger, TEST_ADMIN_API_KEY } from "../../api/test/support/test-app";
import { LocalPlatform, startLocalPlatform } from "../../local/platform";
import { emailHash } from "../../shared/src/email-hash";
import { createTestDatabase, TEST_ROLE_PASSWORDS, TestDatabase } from "../../shared/testing/test-database";

/** The mailbox simulator's address with a label of its own (`bounce+x@…`), so each test registers a new customer. */
const simulator = (name: string) => `${name}+${randomUUID().slice(0, 8)}@simulator.amazonses.com`;

describe("bounces and complaints on npm start's platform (welcome email → local SES → configuration set → SNS, signed → SES events queue → function)", () => {
  let database: TestDatabase;
  let dataDir: string;
  let platform: LocalPlatform;
  before(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "ecom-bounces-"));
    platform = await startLocalPlatform({
      env: testApiEnv(database.url, { SENDER_EMAIL: "welcome@e-com.test", PUBLIC_BASE_URL: "http://localhost:3000" }),
      dataDir,
      logger: silentLogger,
      local: { snsLatencyMs: 20, sesLatencyMs: 50 },
      rolePasswords: TEST_ROLE_PASSWORDS, // the roles belong to the server, which other suites share
    });
  });
  after(async () => {
    await platform?.stop();
    await database?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${platform.api.url}${route}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const register = async (address: string, marketing = true): Promise<string> => {
    const response = await post("/customer-registration", aRegistration({ email_id: address, marketing_opt_in: marketing }));
    assert.equal(response.status, 201);
    return ((await response.json()) as { id: string }).id;
  };
  const suppression = (address: string) => database.db("suppressions").where({ email_hash: emailHash(address) }).first();
  const sesEvents = (address: string) => database.db("ses_events").where({ email_hash: emailHash(address) });
  const drained = async () => {
    const depths = await platform.queueDepths();
    return depths.welcome === 0 && depths.sesEvents === 0;
  };

  it("when complaint@simulator.amazonses.com registers with marketing consent, then after its welcome email the address is suppressed and marketing is off, its withdrawal recorded", async () => {
    const address = simulator("complaint");

    const customerId = await register(address);

    await eventually(async () => (await suppression(address)) !== undefined, 10_000, "the complaint suppressed the address");
    assert.equal((await platform.ses!.emails(address)).length, 1, "the welcome email went out");
    assert.equal((await suppression(address)).reason, "complaint");
    const customer = await database.db("customers").where({ id: customerId }).first();
    assert.equal(customer.marketing_opt_in, false);
    const consent = await database.db("marketing_consent_events").where({ customer_id: customerId }).orderBy("id");
    assert.deepEqual(consent.map((e) => [e.action, e.source]), [["requested", "registration"], ["withdrawn", "ses-complaint"]]);
  });

  it("when bounce@, ooto@ and success@ register, then the bounce suppresses, the soft bounce is counted, the delivery leaves nothing, and nothing is dead-lettered", async () => {
    const [bounce, ooto, success] = [simulator("bounce"), simulator("ooto"), simulator("success")];

    for (const address of [bounce, ooto, success]) await register(address, false);

    await eventually(async () => (await suppression(bounce)) !== undefined && (await sesEvents(ooto)).length === 1, 10_000, "bounce and soft bounce recorded");
    await eventually(drained, 10_000, "every queue drained");
    assert.deepEqual([(await suppression(bounce)).reason, (await suppression(bounce)).detail], ["bounce", "Permanent/General"]);
    assert.equal(await suppression(ooto), undefined);
    assert.deepEqual((await sesEvents(ooto)).map((e) => e.detail), ["Transient/General"]);
    assert.equal(await suppression(success), undefined);
    assert.deepEqual(await sesEvents(success), []);
    const depths = await platform.queueDepths();
    assert.deepEqual([depths.deadLetters, depths.sesEventsDeadLetters], [0, 0]);
  });

  it("when a bounced customer is erased and registers again, then the suppression outlives the erasure and no second email goes out", async () => {
    const address = simulator("bounce");
    const customerId = await register(address);
    await eventually(async () => (await suppression(address)) !== undefined, 10_000, "the bounce suppressed the address");
    const erased = await post("/privacy/erasure", { customer_id: customerId }, { "x-api-key": TEST_ADMIN_API_KEY });
    assert.equal(erased.status, 200);

    const again = await register(address);

    await eventually(async () => (await database.db("outbox").whereNull("published_at")).length === 0 && (await drained()), 10_000, "the registration handled");
    assert.equal((await platform.ses!.emails(address)).length, 1, "only the email before the bounce");
    assert.equal(await database.db("welcome_emails").where({ customer_id: again }).first(), undefined);
  });
});
