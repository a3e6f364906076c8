import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import fc from "fast-check";
import request from "supertest";
import { emailHash } from "../../../shared/src/email-hash";
import { aCampaign } from "../support/campaign-builders";
import { TEST_ADMIN_API_KEY, useTestApp } from "../support/test-app";
import { expectAcceptableAnswer } from "./support/answer-rules";
import { DocumentedOperation, documentedOperations } from "./support/documented-operations";
import { FuzzRequest, send, target } from "./support/fuzz-request";
import { fuzzParameters } from "./support/fuzz-parameters";
import { Ledger } from "./support/ledger";
import { requestFor, undocumentedMethodFor, unknownPath } from "./support/request-arbitraries";

/**
 * Batches of generated requests, sent at once (so some race each other) to one listening server
 * on real PostgreSQL, at every operation of the served document, undocumented methods and unknown
 * paths. Replay a failure with the FUZZ_SEED (and FUZZ_PATH) fast-check prints.
 */
describe("fuzzing every route with generated requests", function () {
  this.timeout(300_000); // the default run takes ~15 s; shrinking a failure takes longer
  const ctx = useTestApp();
  let server: Server;
  let url: string;
  let operations: DocumentedOperation[];
  before(async () => {
    server = createServer(ctx.app).listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    operations = await documentedOperations(url);
    // Addresses the generators send often (fuzz.0 to fuzz.3@example.com), suppressed, so lookups and lifts find something.
    await ctx.db("suppressions").insert([0, 1, 2, 3].map((n) => ({ email_hash: emailHash(`fuzz.${n}@example.com`), reason: n % 2 ? "complaint" : "bounce" })));
  });
  after(() => server?.close());

  function anyRequest(): fc.Arbitrary<FuzzRequest> {
    const templates = [...new Set(operations.map((op) => op.template))];
    const undocumented = templates.flatMap((t) => {
      const arbitrary = undocumentedMethodFor(t, operations.filter((op) => op.template === t).map((op) => op.method));
      return arbitrary ? [arbitrary] : [];
    });
    return fc.oneof(
      ...operations.map((op) => ({ weight: 4, arbitrary: requestFor(op) })),
      ...undocumented.map((arbitrary) => ({ weight: 1, arbitrary })),
      { weight: 4, arbitrary: unknownPath(templates) },
    );
  }

  it("when thousands of hostile requests arrive, then none gets a 5xx, every answer conforms and the database holds exactly what was answered", async function () {
    const ledger = new Ledger();
    const rules = { operations, ledger };
    let sent = 0;
    // A live campaign and a sending broadcast to start from, made through the API and recorded like
    // any answer (but not counted as the generators' successes): the broadcast routes have
    // something to act on from the first batch, whatever the run's launches and cancels.
    const seed = async (operationId: string, path: string, body: object) => {
      const res = await request(url).post(path).set("x-api-key", TEST_ADMIN_API_KEY).send(body);
      ledger.record({ operationId, method: "post", path, params: {}, query: [], headers: {} }, res, {});
      return res.body;
    };
    const campaign = await seed("createCampaign", "/campaigns", aCampaign({ ends_at: null }));
    await seed("launchBroadcast", "/broadcasts", { campaign_id: campaign.id, segment: {} });
    ledger.answers.clear();

    await fc.assert(
      fc.asyncProperty(fc.array(anyRequest(), { minLength: 1, maxLength: 7 }), async (batch) => {
        ledger.startBatch();
        const targets = batch.map((req) => target(req, ledger.known));
        const sentRequests = batch.map((req, i) => ({ ...req, body: targets[i].body }));
        const answers = await Promise.allSettled(sentRequests.map((req, i) => send(url, targets[i].url, req)));
        sent += batch.length;
        // Every answer is recorded before any is judged, so a failing one leaves the ledger true.
        answers.forEach((a, i) => a.status === "fulfilled" && ledger.record(sentRequests[i], a.value, targets[i].params));
        for (const [i, answer] of answers.entries()) {
          if (answer.status === "rejected") throw answer.reason; // a hang (10 s) or a dropped connection
          await expectAcceptableAnswer(batch[i], answer.value, rules);
        }
        await ledger.expectDatabaseMatches(ctx.db);
      }),
      // Enough batches for the rarest success (an update needs a live campaign, the key and a valid body) to come up every run.
      fuzzParameters(1_400),
    );

    await request(url).get("/health/ready").timeout(5_000).expect(200); // the process still serves, its pool healthy
    // The generators reach each operation's use case, not only its validation.
    const succeeded = (op: DocumentedOperation) => [...ledger.answers].some(([key]) => new RegExp(`^${op.operationId} 2\\d\\d$`).test(key));
    assert.deepEqual(operations.filter((op) => !succeeded(op)).map((op) => op.operationId), []);
    this.test!.title += ` (${sent} requests)`;
  });
});
