import assert from "node:assert/strict";
import { buildMimeMessage } from "../src/email/mime-message";
import { renderWelcomeEmail } from "../src/email/welcome-email";
import { OngoingCampaign } from "../src/campaigns/ongoing-campaigns";

const unsubscribeUrl = "https://shop.e-com.example/unsubscribe?token=abc.def";
const campaign = (overrides: Partial<OngoingCampaign> = {}): OngoingCampaign => ({
  name: "Winter sale",
  offer: "20% off all outerwear",
  discount_code: "WINTER20",
  ends_at: new Date("2026-12-31T23:59:30Z"),
  ...overrides,
});

describe("welcome email template", () => {
  it("when a campaign has no discount code and no end date, then neither a code nor an end date is shown", () => {
    const { html, text } = renderWelcomeEmail({ firstName: "Ada", campaigns: [campaign({ discount_code: null, ends_at: null })], unsubscribeUrl });

    for (const part of [html, text]) {
      assert.doesNotMatch(part, /Use code/);
      assert.match(part, /No end date/);
    }
  });

  it("when a campaign ends, then its end is shown as a UTC date and time", () => {
    const campaigns = [campaign(), campaign({ name: "Spring", ends_at: new Date("2027-03-05T07:05:00+02:00") })];

    const { text } = renderWelcomeEmail({ firstName: "Ada", campaigns, unsubscribeUrl });

    assert.match(text, /Ends December 31, 2026, 23:59 UTC/);
    assert.match(text, /Ends March 5, 2027, 05:05 UTC/);
  });

  it("when campaign fields hold markup, then the HTML part escapes them too", () => {
    const { html } = renderWelcomeEmail({
      firstName: "Ada",
      campaigns: [campaign({ name: 'Tom & "Jerry"', offer: "<img src=x onerror=alert(1)>", discount_code: "'OR'1" })],
      unsubscribeUrl,
    });

    assert.match(html, /Tom &#38; &#34;Jerry&#34;/);
    assert.match(html, /&#60;img src=x onerror=alert\(1\)&#62;/);
    assert.match(html, /&#39;OR&#39;1/);
    assert.doesNotMatch(html, /<img/);
  });

  it("when the email is built for sending, then it is text and HTML alternatives with one-click List-Unsubscribe headers", async () => {
    const content = renderWelcomeEmail({ firstName: "Zoé", campaigns: [campaign()], unsubscribeUrl });

    const raw = (await buildMimeMessage({ ...content, from: "welcome@e-com.example", to: "zoe@example.com", unsubscribeUrl })).toString();

    const headers = raw.slice(0, raw.indexOf("\r\n\r\n"));
    assert.match(headers, /^List-Unsubscribe: <https:\/\/shop\.e-com\.example\/unsubscribe\?token=abc\.def>$/m);
    assert.match(headers, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    assert.match(headers, /^Content-Type: multipart\/alternative;/m);
    assert.match(raw, /Content-Type: text\/plain; charset=utf-8/);
    assert.match(raw, /Content-Type: text\/html; charset=utf-8/);
  });

  it("when the first name carries a line break, then it cannot add a header", async () => {
    const content = renderWelcomeEmail({ firstName: "Eve\r\nBcc: victim@example.com", campaigns: [], unsubscribeUrl });

    const raw = (await buildMimeMessage({ ...content, from: "welcome@e-com.example", to: "eve@example.com", unsubscribeUrl })).toString();

    assert.doesNotMatch(raw.slice(0, raw.indexOf("\r\n\r\n")), /^Bcc:/im);
  });
});
