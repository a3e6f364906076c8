import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, Server } from "node:http";
import net, { AddressInfo } from "node:net";
import fc from "fast-check";
import request from "supertest";
import { useTestApp } from "../support/test-app";
import { fuzzParameters } from "./support/fuzz-parameters";
import { rawRequest } from "./support/raw-requests";

/** Writes the bytes, half-closes, and resolves with all the server sent once it closed the connection. */
function exchange(port: number, bytes: Buffer, timeoutMs = 3_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the connection was neither answered nor closed within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("data", (chunk) => received.push(chunk));
    socket.on("error", () => undefined); // a reset is the server refusing the bytes: an answer too
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(received).toString("latin1"));
    });
    socket.end(bytes);
  });
}

describe("fuzzing the HTTP layer with malformed requests on raw connections", function () {
  this.timeout(120_000);
  const ctx = useTestApp();
  let server: Server;
  before(async () => {
    server = createServer(ctx.app).listen(0, "127.0.0.1");
    await once(server, "listening");
  });
  after(() => server?.close());

  it("when malformed HTTP arrives, then each connection is answered or closed promptly, never with a 5xx, and the API keeps serving", async () => {
    const port = (server.address() as AddressInfo).port;

    await fc.assert(
      fc.asyncProperty(fc.array(rawRequest, { minLength: 1, maxLength: 2 }), async (requests) => {
        const answer = await exchange(port, Buffer.concat(requests)); // two at once: pipelined on one connection
        assert.doesNotMatch(answer, /^HTTP\/1\.[01] 5\d\d/m, answer.slice(0, 500));
      }),
      fuzzParameters(400),
    );

    await request(server).get("/health/ready").timeout(5_000).expect(200);
  });
});
