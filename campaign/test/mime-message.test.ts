import assert from "node:assert/strict";
import { simpleParser } from "mailparser";
import { renderBroadcastEmail } from "../src/email/broadcast-email";
import { composeMimeMessage, writeMimeMessage } from "../src/email/mime-message";
import { renderWelcomeEmail } from "../src/email/welcome-email";

const unsubscribeUrl = "https://shop.e-com.example/unsubscribe?token=JZmKj7PY.YWJmNDFhYzktODhhMC00MDU5.nE2CRgeTv6nIVaXd_9So9HQoI7VbX";
const campaign = { name: "Winter <sale> 冬 " + "long ".repeat(30), offer: "20% off = more   ", discount_code: "W=20", ends_at: new Date("2026-12-31T23:00:00Z") };
const names = ["Jane", "Zoë", "李雷 " + "long ".repeat(40), "محمد", "trailing space  ", "tab\t", "Tom & <b>", "é".repeat(300)];

describe("the raw MIME message", () => {
  // The message is written out without nodemailer's stream pipeline, from nodemailer's own parts:
  // this holds the two equal, so an upgrade of nodemailer that changes either shows up here.
  for (const name of names) {
    it(`when the email greets ${JSON.stringify(name.slice(0, 20))}, then it is byte for byte what nodemailer's streaming build writes`, async () => {
      for (const content of [renderWelcomeEmail({ firstName: name, campaigns: [campaign], unsubscribeUrl }), renderBroadcastEmail({ firstName: name, campaign, unsubscribeUrl })]) {
        const composed = composeMimeMessage({ ...content, from: "welcome@e-com.example", to: "zoe@example.com", unsubscribeUrl });

        const written = writeMimeMessage(composed);

        assert.equal(written.toString(), (await composed.build()).toString());
      }
    });
  }

  it("when a campaign's name carries a line break, then the broadcast's subject stays one header", async () => {
    const content = renderBroadcastEmail({ firstName: "Eve", campaign: { ...campaign, name: "Sale\r\nBcc: everyone@example.com" }, unsubscribeUrl });

    const parsed = await simpleParser(writeMimeMessage(composeMimeMessage({ ...content, from: "welcome@e-com.example", to: "eve@example.com", unsubscribeUrl })));

    assert.equal(parsed.subject, "e_com: Sale Bcc: everyone@example.com");
    assert.equal(parsed.bcc, undefined);
    assert.deepEqual(parsed.headerLines.map((h) => h.key).filter((k) => k === "bcc" || k === "subject"), ["subject"]);
  });
});
