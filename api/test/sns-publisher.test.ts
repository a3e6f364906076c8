import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { SnsEndpoint, startSnsEndpoint } from "../../local/aws/sns-endpoint";
import { setEnvironment } from "../../shared/testing/environment";
import { createSnsClient, snsPublisher } from "../src/outbox/sns-publisher";

const TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:publisher-timeouts";

/** The environment a task gets, pointing the relay's client (as main.ts creates it) at the local endpoint. */
async function withSnsEnvironment<T>(endpoint: SnsEndpoint, run: () => Promise<T>): Promise<T> {
  const restore = setEnvironment({ AWS_ENDPOINT_URL_SNS: endpoint.url, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
  try {
    return await run();
  } finally {
    restore();
  }
}

describe("the relay's SNS client", () => {
  let endpoint: SnsEndpoint;
  before(async () => {
    endpoint = await startSnsEndpoint({ topics: [TOPIC_ARN] });
  });
  after(() => endpoint.stop());

  it("when SNS holds a request without answering, then the client gives up on it at its 5 s timeout and the retry publishes", async () => {
    const client = createSnsClient("us-east-1");
    const publisher = snsPublisher(client, TOPIC_ARN);
    const message = { id: randomUUID(), eventType: "customer.registered", body: "{}" };
    endpoint.setLatency(8_000); // the first request hangs for longer than the timeout…

    const started = Date.now();
    const result = await withSnsEnvironment(endpoint, async () => {
      const publishing = publisher.publishBatch([message]);
      while (endpoint.requests().inFlight === 0) await sleep(10);
      endpoint.setLatency(0); // …and SNS answers the retry at once
      return publishing;
    }).finally(() => client.destroy());

    assert.deepEqual(result.failed, []);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 5_000 && elapsed < 7_000, `published after ${elapsed} ms: the hung request should be dropped at 5 s, not awaited for 8 s`);
  });
});
