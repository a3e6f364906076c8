import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { emailHash } from "../../shared/src/email-hash";
import { aBounce, aComplaint, EnvelopeOptions, sesEventRecord, SesEventsContext, startSesEventsContext } from "./support/ses-events-fixture";

const ADDRESS = "refused.recipient@example.com";
const SNS_CERT_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem";

const malformed: [string, unknown][] = [
  ["not JSON", `{"eventType":"Bounce","bounce":{"bouncedRecipients":[{"emailAddress":"${ADDRESS}"`],
  ["of a type SES does not publish", { ...aBounce(ADDRESS), eventType: "Bounced" }],
  ["a bounce without its bounce object", { eventType: "Bounce", mail: aBounce(ADDRESS).mail }],
  ["a bounce of an unknown bounce type", (() => { const e = aBounce(ADDRESS); e.bounce.bounceType = "Hard"; return e; })()],
  ["a bounce without recipients", (() => { const e = aBounce(ADDRESS); e.bounce.bouncedRecipients = []; return e; })()],
  ["a complaint whose recipient is not an address", (() => { const e = aComplaint(ADDRESS); e.complaint.complainedRecipients = [{ emailAddress: `name ${ADDRESS} <x>` }]; return e; })()],
  ["a complaint without a feedback id", (() => { const e = aComplaint(ADDRESS); (e.complaint as { feedbackId?: string }).feedbackId = undefined; return e; })()],
  ["a bounce with an impossible timestamp", (() => { const e = aBounce(ADDRESS); e.bounce.timestamp = "yesterday"; return e; })()],
];

/** Notifications SNS did not sign, or not for us: how each is made from a signed one. */
const unsigned: [string, EnvelopeOptions][] = [
  ["a notification's message was changed after signing", { tamper: (e) => (e.Message = JSON.stringify(aComplaint(ADDRESS))) }],
  ["a notification's timestamp was changed after signing", { tamper: (e) => (e.Timestamp = new Date(0).toISOString()) }],
  ["a notification carries no signature", { tamper: (e) => delete e.Signature }],
  ["a notification's signature version is unknown", { tamper: (e) => (e.SignatureVersion = "3") }],
  ["a notification's certificate is on another host", { certificateUrl: "https://certs.example.com/SimpleNotificationService.pem" }],
  ["a notification's certificate host only looks like SNS's", { certificateUrl: "https://sns.us-east-1.amazonaws.com.example.com/SimpleNotificationService.pem" }],
  ["a notification's certificate is at SNS's host but without TLS", { certificateUrl: SNS_CERT_URL.replace("https:", "http:") }],
  ["a notification's certificate is SNS's in another region than the topic", { certificateUrl: SNS_CERT_URL.replace("us-east-1", "eu-west-1") }],
  ["a notification comes from a topic of another account", { topicArn: "arn:aws:sns:us-east-1:111122223333:someone-elses-topic" }],
];

describe("SES events that can never be processed, and notifications SNS did not sign", () => {
  let ctx: SesEventsContext;
  before(async () => {
    ctx = await startSesEventsContext();
  });
  after(() => ctx.stop());

  /** Refused or dead-lettered: in the dead-letter queue with its reason, one error line without the address, nothing stored. */
  async function expectDeadLettered(run: () => Promise<{ batchItemFailures: unknown[] }>, reason: RegExp) {
    const [linesBefore, deadBefore] = [ctx.lines.length, (await ctx.deadLettered()).length];

    const response = await run();

    assert.deepEqual(response.batchItemFailures, [], "not redelivered: it could never succeed");
    const dead = (await ctx.deadLettered()).slice(deadBefore);
    assert.equal(dead.length, 1);
    assert.match(dead[0].reason, reason);
    const logged = ctx.lines.slice(linesBefore);
    assert.equal(logged.length, 1);
    assert.equal(logged[0].level, 50); // error
    assert.ok(!JSON.stringify(logged).toLowerCase().includes(ADDRESS), "no address in the log");
    assert.equal(await ctx.db("suppressions").where({ email_hash: emailHash(ADDRESS) }).first(), undefined);
    assert.deepEqual(await ctx.db("ses_events").where({ email_hash: emailHash(ADDRESS) }), []);
  }

  for (const [what, event] of malformed) {
    it(`when the SES event is ${what}, then it is dead-lettered with the reason and logged without the address`, async () => {
      await expectDeadLettered(() => ctx.handle({ Records: [sesEventRecord(ctx, event)] }), /SES event|feedback|Bounce|Complaint/);
    });
  }

  for (const [what, options] of unsigned) {
    it(`when ${what}, then it is refused: dead-lettered, logged without the address, nothing suppressed`, async () => {
      // Whatever URL it is asked for, this fetch serves the certificate of the key that signed: only the checks can refuse.
      const fetched: string[] = [];
      const handle = ctx.handlerWith({ trustedLocalCertUrlPrefix: `${ctx.sns.url}/`, fetchCertificate: async (url) => (fetched.push(url), ctx.key.certificatePem) });
      const record = sesEventRecord(ctx, aBounce(ADDRESS), options);

      await expectDeadLettered(() => handle({ Records: [record] }), /^SNS signature refused/);
      assert.ok(fetched.every((url) => url === ctx.sns.certificateUrl), "nothing fetched from an untrusted URL");
    });
  }

  it("when the local SNS's certificate is not trusted (as in the cloud), then its notifications are refused", async () => {
    const cloudHandler = ctx.handlerWith({});

    await expectDeadLettered(() => cloudHandler({ Records: [sesEventRecord(ctx, aBounce(ADDRESS))] }), /certificate is not SNS's/);
  });

  it("when the signing certificate has expired, then the notification is refused", async () => {
    const later = ctx.handlerWith({ trustedLocalCertUrlPrefix: `${ctx.sns.url}/`, clock: () => new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000) });

    await expectDeadLettered(() => later({ Records: [sesEventRecord(ctx, aBounce(ADDRESS))] }), /not valid now/);
  });

  // HTTPS from sns.<region>.amazonaws.com cannot be had here: the fetch is played by a function
  // serving the local key's certificate, which is what the URL check and the signature check meet.
  it("when a notification is signed (version 1 or 2) with the certificate at SNS's own URL, then it is acted on", async () => {
    const fetched: string[] = [];
    const cloudHandler = ctx.handlerWith({ fetchCertificate: async (url) => (fetched.push(url), ctx.key.certificatePem) });
    const [first, second] = [`v1.${randomUUID().slice(0, 8)}@example.com`, `v2.${randomUUID().slice(0, 8)}@example.com`];

    const response = await cloudHandler({
      Records: [sesEventRecord(ctx, aBounce(first), { version: "1", certificateUrl: SNS_CERT_URL }), sesEventRecord(ctx, aBounce(second), { version: "2", certificateUrl: SNS_CERT_URL })],
    });

    assert.deepEqual(response.batchItemFailures, []);
    for (const address of [first, second]) assert.equal((await ctx.db("suppressions").where({ email_hash: emailHash(address) }).first()).reason, "bounce");
    assert.deepEqual([...new Set(fetched)], [SNS_CERT_URL]);
  });

  it("when SNS's certificate cannot be fetched, then the record is delivered again rather than refused", async () => {
    const unreachable = ctx.handlerWith({ fetchCertificate: async () => Promise.reject(new Error("connect ETIMEDOUT")) });
    const record = sesEventRecord(ctx, aBounce(ADDRESS), { certificateUrl: SNS_CERT_URL });
    const deadBefore = (await ctx.deadLettered()).length;

    const response = await unreachable({ Records: [record] });

    assert.deepEqual(response.batchItemFailures, [{ itemIdentifier: record.messageId }]);
    assert.equal((await ctx.deadLettered()).length, deadBefore);
  });
});
