/**
 * Holds real responses to the OpenAPI document the API serves, so the document and the code cannot
 * drift: a status, content type or body the document does not describe fails the test that got it.
 */
import assert from "node:assert/strict";
import SwaggerParser from "@apidevtools/swagger-parser";
import Ajv, { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import request from "supertest";
import { buildOpenApiDocument } from "../../src/http/openapi-document";

type Schema = Record<string, unknown>;
interface DocumentedResponse {
  content?: Record<string, { schema: Schema }>;
}
interface Operation {
  responses: Record<string, DocumentedResponse>;
}
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** The document exactly as the app serves it (tests check that /openapi.json is this document). */
export const servedDocument = () => buildOpenApiDocument("local");

// Strict mode stays on so a misspelt keyword in the document fails here; `example` is OpenAPI's own
// annotation and `nullable` is understood by Ajv.
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
ajv.addVocabulary(["example"]);

let dereferenced: Promise<Document> | undefined;
const validators = new Map<Schema, ValidateFunction>();

function documentWithoutRefs(): Promise<Document> {
  dereferenced ??= SwaggerParser.dereference(structuredClone(servedDocument()) as never) as unknown as Promise<Document>;
  return dereferenced;
}

function validatorFor(schema: Schema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) validators.set(schema, (validate = ajv.compile(schema)));
  return validate;
}

/** The documented path template a concrete path falls under; literal paths win over templated ones. */
function documentedPath(doc: Document, path: string): string | undefined {
  if (doc.paths[path]) return path;
  return Object.keys(doc.paths).find((template) =>
    new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path),
  );
}

function expectMatches(schema: Schema, value: unknown, where: string): void {
  const validate = validatorFor(schema);
  if (!validate(value)) {
    assert.fail(`${where} does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`);
  }
}

/**
 * Fails unless the response's status is documented for its method and path, its content type is
 * one the document lists for that status, and its body matches that schema. A path the document
 * does not list may only answer the documented 404 error.
 */
export async function expectConformsToOpenApi(res: request.Response): Promise<void> {
  const doc = await documentWithoutRefs();
  const { method, path: target } = (res as unknown as { req: { method: string; path: string } }).req;
  const path = target.split("?")[0];
  const where = `${method} ${path} → ${res.status}`;
  const template = documentedPath(doc, path);
  const operation = template ? doc.paths[template][method.toLowerCase()] : undefined;
  if (!operation) {
    assert.equal(res.status, 404, `${method} ${path} is not in the document, yet it answered ${res.status}`);
    return expectMatches(doc.components.schemas.Error, res.body, where);
  }

  const documented = operation.responses[String(res.status)] ?? operation.responses.default;
  assert.ok(documented, `${where}: status ${res.status} is not documented for ${method} ${template}`);
  if (!documented.content) {
    assert.equal(res.text ?? "", "", `${where}: the document says this response has no body`);
    return;
  }
  const mediaType = String(res.headers["content-type"] ?? "").split(";")[0].trim();
  const media = documented.content[mediaType];
  assert.ok(media, `${where}: content type "${mediaType}" is not documented (${Object.keys(documented.content).join(", ")})`);
  expectMatches(media.schema, mediaType === "application/json" ? res.body : res.text, where);
}

/** Whether the document's schema for a request body accepts `body` (for checking the two agree). */
export async function documentAcceptsRequestBody(method: string, path: string, body: unknown): Promise<boolean> {
  const doc = await documentWithoutRefs();
  const operation = doc.paths[path][method.toLowerCase()] as Operation & { requestBody: DocumentedResponse };
  return validatorFor(operation.requestBody.content!["application/json"].schema)(body);
}

/**
 * supertest, with every response it resolves held to the document: suites call
 * `conformingRequest(app).post(...)` where they would call `request(app).post(...)`.
 */
export function conformingRequest(app: Parameters<typeof request>[0]) {
  const client = request(app);
  const checked = (test: request.Test): request.Test => {
    const then = test.then.bind(test);
    test.then = ((onFulfilled, onRejected) =>
      then(async (res) => {
        await expectConformsToOpenApi(res);
        return res;
      }).then(onFulfilled, onRejected)) as request.Test["then"];
    return test;
  };
  return {
    get: (path: string) => checked(client.get(path)),
    post: (path: string) => checked(client.post(path)),
    patch: (path: string) => checked(client.patch(path)),
    put: (path: string) => checked(client.put(path)),
    delete: (path: string) => checked(client.delete(path)),
  };
}
