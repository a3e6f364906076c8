import assert from "node:assert/strict";
import { loadCampaignConfig } from "../../shared/src/config";
import { setEnvironment } from "../../shared/testing/environment";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { SesEndpoint, startSesEndpoint, useSesEndpoint } from "../../local/aws/ses-endpoint";
import { startCampaignService } from "../src/campaign-service";
import { handler } from "../src/handler";
import { aCustomer, capturingLogger, registeredEvent, TEST_SIGNING_KEY } from "./support/welcome-fixture";

/** What Lambda passes beside the event, as far as the handlers read it. */
const lambdaContext = { getRemainingTimeInMillis: () => 30_000 };

describe("the campaign service built from its environment (as the Lambda entry point builds it)", () => {
  let database: TestDatabase;
  let mailbox: SesEndpoint;
  before(async () => {
    database = await createTestDatabase();
    mailbox = await startSesEndpoint();
    useSesEndpoint(mailbox.url);
  });
  after(async () => {
    await mailbox.stop();
    await database.destroy();
  });

  const environment = (overrides: Record<string, string> = {}) => ({
    DATABASE_URL: database.campaignUrl, // as the function connects: its own role
    SENDER_EMAIL: "hello@e-com.example",
    PUBLIC_BASE_URL: "https://shop.e-com.example/",
    UNSUBSCRIBE_SIGNING_KEY: TEST_SIGNING_KEY,
    DEAD_LETTER_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/ecom-test-dlq",
    ...overrides,
  });

  it("when it handles a registration, then the email is sent from SENDER_EMAIL through the endpoint in AWS_ENDPOINT_URL_SES", async () => {
    const customer = await aCustomer(database.db);
    const service = await startCampaignService(loadCampaignConfig(environment()), { logger: capturingLogger().logger });

    try {
      const response = await service.handle(registeredEvent(customer));
      assert.deepEqual(response.batchItemFailures, []);
    } finally {
      await service.stop();
    }

    const emails = await mailbox.emails(customer.email);
    assert.equal(emails.length, 1);
    assert.equal(emails[0].from, "hello@e-com.example");
    assert.match(emails[0].body.text!, /https:\/\/shop\.e-com\.example\/unsubscribe\?token=/);
  });

  it("when deployed without a dead-letter queue, then the configuration is refused, naming DEAD_LETTER_QUEUE_URL", () => {
    const env = { ...environment({ APP_ENV: "dev", AWS_REGION: "us-east-1" }), DEAD_LETTER_QUEUE_URL: undefined };

    assert.throws(() => loadCampaignConfig(env), /DEAD_LETTER_QUEUE_URL is required/);
  });

  it("when the database cannot be reached, then starting the service fails", async () => {
    const config = loadCampaignConfig(environment({ DATABASE_URL: "postgres://nobody:secret@127.0.0.1:1/none" }));

    await assert.rejects(startCampaignService(config, { logger: capturingLogger().logger }), /ECONNREFUSED/);
  });

  it("when the Lambda's first invocation cannot start the service, then the next invocation starts it", async () => {
    const customer = await aCustomer(database.db);
    const restore = setEnvironment(environment({ DATABASE_URL: "postgres://nobody:secret@127.0.0.1:1/none", LOG_LEVEL: "silent" }));

    try {
      await assert.rejects(handler(registeredEvent(customer), lambdaContext));
      process.env.DATABASE_URL = database.campaignUrl; // the database is back
      assert.deepEqual((await handler(registeredEvent(customer), lambdaContext)).batchItemFailures, []);
    } finally {
      restore();
    }

    assert.equal((await mailbox.emails(customer.email)).length, 1);
  });
});
