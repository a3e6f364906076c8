import assert from "node:assert/strict";
// mailparser comes with the local SES mailbox (aws-ses-v2-local): the parser a mail client would be.
import { simpleParser } from "mailparser";
import { buildMimeMessage } from "../src/email/mime-message";
import { renderWelcomeEmail, WELCOME_SUBJECT } from "../src/email/welcome-email";
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

  it("when the built message is read as a mail client reads it, then headers and both parts are exactly what was rendered", async () => {
    const confirmSubscriptionUrl = "https://shop.e-com.example/confirm-subscription?token=ghi.jkl";
    const content = renderWelcomeEmail({ firstName: "Zoé & <Ann> 李雷 " + "long ".repeat(20), campaigns: [campaign()], unsubscribeUrl, confirmSubscriptionUrl });

    const parsed = await simpleParser(await buildMimeMessage({ ...content, from: "welcome@e-com.example", to: "zoe@example.com", unsubscribeUrl }));

    assert.equal(parsed.subject, WELCOME_SUBJECT);
    assert.equal(parsed.from?.text, "welcome@e-com.example");
    assert.deepEqual([parsed.to].flat().map((a) => a?.text), ["zoe@example.com"]);
    const line = (key: string) => parsed.headerLines.filter((h) => h.key === key).map((h) => h.line);
    assert.deepEqual(line("list-unsubscribe"), [`List-Unsubscribe: <${unsubscribeUrl}>`]);
    assert.deepEqual(line("list-unsubscribe-post"), ["List-Unsubscribe-Post: List-Unsubscribe=One-Click"]);
    assert.equal(parsed.text, content.text); // decoded back byte for byte, however long the lines
    assert.equal(parsed.html, content.html);
    assert.match(parsed.html || "", /Hi Zoé &#38; &#60;Ann&#62; 李雷/);
    assert.ok((parsed.text ?? "").includes(`Please confirm that this address is yours and that you want them: ${confirmSubscriptionUrl}`));
  });

  it("when the unsubscribe URL carries a line break, then it stays inside its header (GHSA-268h-hp4c-crq3)", async () => {
    const hostileUrl = `${unsubscribeUrl}\r\nBcc: victim@example.com\r\nList-Unsubscribe-Post: x`;
    const content = renderWelcomeEmail({ firstName: "Eve", campaigns: [], unsubscribeUrl: hostileUrl });

    const parsed = await simpleParser(await buildMimeMessage({ ...content, from: "welcome@e-com.example", to: "eve@example.com", unsubscribeUrl: hostileUrl }));

    assert.equal(parsed.bcc, undefined);
    assert.deepEqual(parsed.headerLines.map((h) => h.key).filter((k) => k.startsWith("list-") || k === "bcc"), ["list-unsubscribe", "list-unsubscribe-post"]);
    assert.deepEqual(parsed.headerLines.filter((h) => h.key === "list-unsubscribe-post").map((h) => h.line), ["List-Unsubscribe-Post: List-Unsubscribe=One-Click"]);
  });

  it("when the first name carries a line break, then it cannot add a header", async () => {
    const content = renderWelcomeEmail({ firstName: "Eve\r\nBcc: victim@example.com", campaigns: [], unsubscribeUrl });

    const raw = (await buildMimeMessage({ ...content, from: "welcome@e-com.example", to: "eve@example.com", unsubscribeUrl })).toString();

    assert.doesNotMatch(raw.slice(0, raw.indexOf("\r\n\r\n")), /^Bcc:/im);
  });
});
