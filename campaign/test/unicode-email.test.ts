import assert from "node:assert/strict";
import request from "supertest";
import { aRegistration } from "../../api/test/support/builders";
import { eventually } from "../../api/test/support/eventually";
import { startWelcomePipeline, WelcomePipeline } from "./support/welcome-fixture";

describe("names in any script reach the welcome email intact (API → outbox → relay → SNS → queue → campaign function → SES)", () => {
  let api: WelcomePipeline["api"];
  let mailbox: WelcomePipeline["mailbox"];
  let pipeline: WelcomePipeline;
  before(async () => {
    pipeline = await startWelcomePipeline();
    ({ api, mailbox } = pipeline);
  });
  after(() => pipeline.stop());

  /** Registers through the API and waits for the one welcome email the mailbox receives. */
  async function welcomeEmailFor(firstName: string) {
    const registration = aRegistration({ first_name: firstName });
    await request(api.app).post("/customer-registration").send(registration).expect(201);
    const address = registration.email_id as string;
    await eventually(async () => (await mailbox.emails(address)).length > 0, 5_000, `welcome email for ${firstName}`);
    const emails = await mailbox.emails(address);
    assert.equal(emails.length, 1);
    return emails[0];
  }

  // Bodies are sent as UTF-8: what arrives is decoded back. The subject is fixed (no registrant's text in it).
  for (const name of ["Zoë", "José", "Ñandú", "Иван", "李雷", "محمد", "Søren Kierkegård"]) { // emoji are refused in names
    it(`when ${name} registers, then the HTML part and the text part greet ${name} exactly`, async () => {
      const email = await welcomeEmailFor(name);

      assert.equal(email.subject, "Welcome to e_com");
      assert.ok(email.body.html!.includes(`<p>Hi ${name},</p>`), email.body.html);
      assert.ok(email.body.text!.startsWith(`Hi ${name},\n`), email.body.text);
    });
  }

  it("when the name was typed decomposed (e + combining accent), then the email greets the composed name the API stored", async () => {
    const email = await welcomeEmailFor("Zoe\u0308");

    assert.ok(email.body.html!.includes("<p>Hi Zo\u00eb,</p>"));
    assert.ok(email.body.text!.startsWith("Hi Zo\u00eb,\n"));
  });
});
