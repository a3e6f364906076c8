import assert from "node:assert/strict";
import http from "node:http";
import { AddressInfo } from "node:net";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { boundedRequests } from "../src/aws-requests";

describe("AWS clients with bounded requests", () => {
  let server: http.Server;
  let url: string;
  before(async () => {
    server = http.createServer(() => undefined); // takes each request and never answers, as a hung service does
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it("when the service holds a request without answering, then the call fails with a timeout after 5 s instead of waiting on", async () => {
    const client = new SQSClient({ region: "us-east-1", endpoint: url, credentials: { accessKeyId: "local", secretAccessKey: "local" }, requestHandler: boundedRequests, maxAttempts: 1 });
    const started = Date.now();

    const failure = await client.send(new ListQueuesCommand({})).then(
      () => undefined,
      (err: Error) => err,
    );

    client.destroy();
    const elapsed = Date.now() - started;
    assert.equal(failure?.name, "TimeoutError");
    assert.ok(elapsed >= 5_000 && elapsed < 6_500, `failed after ${elapsed} ms`);
  });
});
