/** What every answer to a generated request must satisfy. */
import assert from "node:assert/strict";
import request from "supertest";
import { expectConformsToOpenApi } from "../../support/openapi-conformance";
import { TEST_ADMIN_API_KEY } from "../../support/test-app";
import { DocumentedOperation } from "./documented-operations";
import { FuzzRequest } from "./fuzz-request";
import { Ledger } from "./ledger";

export interface AnswerRules {
  operations: DocumentedOperation[];
  ledger: Ledger;
}

/**
 * Answers the app gives before it picks a route, so any path and method can get them: the admin
 * key is checked for everything under an admin prefix (not telling strangers which admin routes
 * exist), and a body is judged (JSON only, size, syntax) before routing. The document lists them
 * for the operations where clients meet them.
 */
function beforeRouting(req: FuzzRequest, operations: DocumentedOperation[]): string[] {
  const answers = req.body
    ? ["400 malformed-json", "400 malformed-request", "413 payload-too-large", "415 unsupported-media-type"]
    : [];
  const adminPrefixes = new Set(operations.filter((op) => op.secured).map((op) => op.template.split("/")[1].toLowerCase()));
  const prefix = req.path.split("/")[1]?.toLowerCase();
  const key = req.headers["x-api-key"]?.replace(/^[ \t]+|[ \t]+$/g, ""); // HTTP drops surrounding white space
  if (adminPrefixes.has(prefix) && key !== TEST_ADMIN_API_KEY) answers.push("401 unauthorized");
  return answers;
}

function expectOneErrorShape(res: request.Response, where: string): void {
  assert.match(String(res.headers["content-type"]), /^application\/json/, where);
  assert.deepEqual(Object.keys(res.body), ["error"], where);
  const { code, message, details, request_id: requestId, ...rest } = res.body.error;
  assert.deepEqual(rest, {}, where);
  assert.match(code, /^[a-z]+(-[a-z]+)*$/, where);
  assert.equal(typeof message, "string", where);
  assert.equal(requestId, res.headers["x-request-id"], `${where}: the request id is the x-request-id header`);
  for (const d of details ?? []) assert.deepEqual(Object.keys(d).sort(), ["field", "message"], where);
}

/**
 * No 5xx (the database is up, so not even a 503); errors in the one shape; a status the document
 * lists for the operation, with a body matching it, or one the app gives before routing; and
 * verifications that agree with the registrations answered so far.
 */
export async function expectAcceptableAnswer(req: FuzzRequest, res: request.Response, rules: AnswerRules): Promise<void> {
  const where = `${req.method.toUpperCase()} ${(res as unknown as { req: { path: string } }).req.path} → ${res.status} ${res.text?.slice(0, 300)}`;
  assert.ok(res.status < 500, where);
  if (res.status >= 400) expectOneErrorShape(res, where);

  const op = rules.operations.find((o) => o.operationId === req.operationId);
  if (op?.statuses.includes(res.status)) {
    // Checked as sent to the documented path: Express served this spelling of it (case, trailing slash) as that path.
    await expectConformsToOpenApi(Object.assign(Object.create(res), { req: { method: req.method.toUpperCase(), path: op.template } }));
  } else if (!op && res.status === 404) {
    await expectConformsToOpenApi(res); // the document's rule for what it does not list
  } else {
    const allowed = beforeRouting(req, rules.operations);
    const answer = `${res.status} ${res.body?.error?.code}`;
    assert.ok(allowed.includes(answer), `${where}: neither documented nor answered before routing (${allowed.join(", ")})`);
  }

  if (req.operationId === "verifyRegistration" && res.status === 200) {
    const registered = rules.ledger.wasRegistered(res.body.email_id);
    if (registered !== undefined) assert.equal(res.body.registered, registered, `${where}: verification disagrees with the registrations answered`);
  }
}
