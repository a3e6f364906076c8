import assert from "node:assert/strict";
import request from "supertest";
import { aRegistration } from "../../api/test/support/builders";
import { aCampaign, daysFromNow } from "../../api/test/support/campaign-builders";
import { eventually } from "../../api/test/support/eventually";
import { startWelcomePipeline, WelcomePipeline } from "./support/welcome-fixture";

describe("registration to mailbox (API → outbox → relay → SNS → welcome queue → campaign function → SES)", () => {
  let pipeline: WelcomePipeline;
  before(async () => {
    pipeline = await startWelcomePipeline();
  });
  after(() => pipeline.stop());

  it("when a customer registers through the API, then the welcome email with the ongoing campaigns reaches the mailbox", async () => {
    const { api, mailbox, services } = pipeline;
    await api.db("campaigns").insert([
      aCampaign({ name: "Cyber week", offer: "Two for one" }),
      aCampaign({ name: "Summer sale", starts_at: daysFromNow(30), ends_at: daysFromNow(40) }),
    ]);
    const registration = aRegistration({ first_name: "Grace", marketing_opt_in: true });

    await request(api.app).post("/customer-registration").send(registration).expect(201);

    const address = registration.email_id as string;
    await eventually(async () => (await mailbox.emails(address)).length > 0, 5_000, "welcome email in the mailbox");
    await eventually(async () => (await services.queueDepths()).welcome === 0, 5_000, "the queue emptied");
    const emails = await mailbox.emails(address);
    assert.equal(emails.length, 1);
    assert.equal(emails[0].subject, "Welcome to e_com");
    assert.match(emails[0].body.text!, /^Hi Grace,/);
    assert.match(emails[0].body.text!, /Cyber week: Two for one/);
    assert.doesNotMatch(emails[0].body.text!, /Summer sale/);
    assert.equal((await services.queueDepths()).deadLetters, 0);
  });

  it("when the customer follows the email's confirmation link and presses its button, then their marketing consent is confirmed", async () => {
    const { api, mailbox } = pipeline;
    const registration = aRegistration({ marketing_opt_in: true });
    const { body: registered } = await request(api.app).post("/customer-registration").send(registration).expect(201);
    const address = registration.email_id as string;
    await eventually(async () => (await mailbox.emails(address)).length > 0, 5_000, "welcome email in the mailbox");
    const [email] = await mailbox.emails(address);
    const link = new URL(email.body.text!.match(/Please confirm [^:]+: (\S+)/)![1]);

    const page = await request(api.app).get(`${link.pathname}${link.search}`).set("accept", "text/html").expect(200);
    assert.equal((await api.db("customers").where({ id: registered.id }).first()).marketing_consent_confirmed, false);
    const action = page.text.match(/<form method="post" action="([^"]+)">/)![1];
    await request(api.app).post(action).set("accept", "text/html").expect(200);

    assert.equal((await api.db("customers").where({ id: registered.id }).first()).marketing_consent_confirmed, true);
  });
});
