import assert from "node:assert/strict";
import { loadCampaignConfig } from "../../shared/src/config";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { SesEndpoint, startSesEndpoint, useSesEndpoint } from "../../local/aws/ses-endpoint";
import { startCampaignService } from "../src/campaign-service";
import { aCustomer, capturingLogger, registeredEvent, TEST_SIGNING_KEY } from "./support/welcome-fixture";

/** SES publishes an email's bounces and complaints only when its send names a configuration set. */
describe("the configuration set on every send", () => {
  let database: TestDatabase;
  let endpoint: SesEndpoint;
  const published: { eventType: string; mail: { messageId: string } }[] = [];
  before(async () => {
    database = await createTestDatabase();
    endpoint = await startSesEndpoint({ configurationSets: { "ecom-test": async (json) => void published.push(JSON.parse(json)) } });
    useSesEndpoint(endpoint.url);
  });
  after(async () => {
    await endpoint.stop();
    await database.destroy();
  });

  it("when the service is configured with SES_CONFIGURATION_SET, then the welcome email names it and SES publishes the email's events", async () => {
    const customer = await aCustomer(database.db);
    const config = loadCampaignConfig({
      DATABASE_URL: database.url,
      SENDER_EMAIL: "hello@e-com.example",
      PUBLIC_BASE_URL: "https://shop.e-com.example",
      UNSUBSCRIBE_SIGNING_KEY: TEST_SIGNING_KEY,
      SES_CONFIGURATION_SET: "ecom-test",
    });
    const service = await startCampaignService(config, { logger: capturingLogger().logger, deadLetters: { put: async () => assert.fail("not poison") } });

    try {
      assert.deepEqual((await service.handle(registeredEvent(customer))).batchItemFailures, []);
    } finally {
      await service.stop();
    }

    const { ses_message_id } = await database.db("welcome_emails").where({ customer_id: customer.id }).first();
    await endpoint.eventsPublished();
    assert.deepEqual(published.filter((e) => e.mail.messageId === ses_message_id).map((e) => e.eventType), ["Delivery"]);
  });
});
