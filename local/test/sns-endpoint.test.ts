import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { parseSnsNotification } from "../../campaign/src/sns-notification";
import { snsSignatureVerifier } from "../../campaign/src/sns-signature";
import { createTestDatabase, TestDatabase } from "../../shared/testing/test-database";
import { LocalQueues } from "../aws/queues";
import { SnsEndpoint, startSnsEndpoint } from "../aws/sns-endpoint";

const V1_TOPIC = "arn:aws:sns:us-east-1:000000000000:signed-v1";
const V2_TOPIC = "arn:aws:sns:us-east-1:000000000000:signed-v2";

/** The local SNS signs what it delivers as SNS does, with a certificate it serves itself. */
describe("local SNS endpoint: signed notifications", () => {
  let database: TestDatabase;
  let queues: LocalQueues;
  let sns: SnsEndpoint;
  let client: SNSClient;
  before(async () => {
    database = await createTestDatabase();
    queues = await LocalQueues.open(database.db, [{ name: "v1", visibilityTimeoutMs: 60_000 }, { name: "v2", visibilityTimeoutMs: 60_000 }]);
    sns = await startSnsEndpoint({
      queues,
      subscriptions: [{ topicArn: V1_TOPIC, queue: "v1" }, { topicArn: V2_TOPIC, queue: "v2" }],
      signatureVersions: { [V2_TOPIC]: "2" },
    });
    client = new SNSClient({ region: "us-east-1", endpoint: sns.url, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  });
  after(async () => {
    client.destroy();
    await sns.stop();
    await database.destroy();
  });

  const delivered = async (queue: string) => parseSnsNotification((await queues.peek(queue)).at(-1)!.body);

  it("when a message is published, then the notification names SignatureVersion 1 by default, 2 where the topic says so, and both verify", async () => {
    await client.send(new PublishCommand({ TopicArn: V1_TOPIC, Message: "über\nline" }));
    await sns.publish(V2_TOPIC, '{"eventType":"Delivery"}'); // as SES publishes, from inside AWS
    const verify = snsSignatureVerifier({ trustedLocalCertUrlPrefix: `${sns.url}/` });

    const [v1, v2] = [await delivered("v1"), await delivered("v2")];

    assert.deepEqual([v1.signatureVersion, v2.signatureVersion], ["1", "2"]);
    assert.equal(v1.signingCertUrl, sns.certificateUrl);
    await verify(v1);
    await verify(v2);
    await assert.rejects(verify({ ...v2, message: '{"eventType":"Bounce"}' }), /does not match/);
  });

  it("when the certificate URL is fetched, then it serves an X.509 certificate valid now", async () => {
    const response = await fetch(sns.certificateUrl);

    const certificate = new X509Certificate(await response.text());
    assert.ok(Date.parse(certificate.validFrom) <= Date.now() && Date.now() <= Date.parse(certificate.validTo));
    assert.equal(certificate.subject, "CN=sns.local");
  });

  it("when messages are published from inside AWS, then they are not counted as accepted through the API", async () => {
    const before = sns.accepted();

    await sns.publish(V2_TOPIC, "{}");

    assert.equal(sns.accepted(), before);
  });

  it("when the endpoint restarts on its state file (a crash of npm start), then notifications it signed before still verify", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "ecom-sns-"));
    const stateFile = path.join(dir, "sns-endpoint.json");
    const first = await startSnsEndpoint({ queues, subscriptions: [{ topicArn: V2_TOPIC, queue: "v2" }], signatureVersions: { [V2_TOPIC]: "2" }, stateFile });
    await first.publish(V2_TOPIC, '{"eventType":"Bounce"}');
    const signedBefore = await delivered("v2");
    await first.stop();

    const second = await startSnsEndpoint({ queues, stateFile });
    try {
      assert.equal(second.certificateUrl, signedBefore.signingCertUrl);
      await snsSignatureVerifier({ trustedLocalCertUrlPrefix: `${second.url}/` })(signedBefore);
    } finally {
      await second.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("when the state file holds a certificate that cannot be read, then the endpoint starts with a new identity instead of failing", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "ecom-sns-"));
    const stateFile = path.join(dir, "sns-endpoint.json");
    const first = await startSnsEndpoint({ queues, stateFile });
    await first.stop();
    const kept = JSON.parse(await readFile(stateFile, "utf8")) as { certificatePem: string };
    await writeFile(stateFile, JSON.stringify({ ...kept, certificatePem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" }));

    const second = await startSnsEndpoint({ queues, stateFile });
    try {
      const served = new X509Certificate(await (await fetch(second.certificateUrl)).text());
      assert.equal(served.subject, "CN=sns.local");
      const saved = JSON.parse(await readFile(stateFile, "utf8")) as { certificatePem: string };
      assert.equal(new X509Certificate(saved.certificatePem).fingerprint256, served.fingerprint256, "the new identity is kept for the next start");
    } finally {
      await second.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
