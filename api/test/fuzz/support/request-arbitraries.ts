/** Generators of whole requests: for each documented operation, for undocumented methods and for unknown paths. */
import fc from "fast-check";
import { TEST_ADMIN_API_KEY } from "../../support/test-app";
import { DocumentedOperation, METHODS, Parameter, servesAs } from "./documented-operations";
import { FuzzRequest, percentEncode, Piece } from "./fuzz-request";
import { hostileString } from "./hostile-values";
import { bodyFor } from "./body-arbitraries";

/** Text that goes into a URL unencoded: broken percent-escapes, dot segments, encoded slashes. */
const rawUrlText = fc.string({ unit: fc.constantFrom(..."%/.\\;:@!$&'()*+,=~-_aZ09"), minLength: 1, maxLength: 12 });
// Capped so request line and headers stay within Node's 16 KiB limit (beyond it Node answers 431 before the app runs).
const urlText = fc.oneof({ weight: 3, arbitrary: hostileString.map((s) => percentEncode(s).slice(0, 600)) }, rawUrlText, fc.webSegment());

function pieceFor(param: Parameter): fc.Arbitrary<Piece> {
  const { schema } = param;
  const valid: fc.Arbitrary<unknown>[] = [fc.uuid()];
  if (schema.enum) valid.push(fc.constantFrom(...schema.enum));
  if (schema.type === "integer") valid.push(fc.integer({ min: (schema.minimum ?? 0) - 2, max: (schema.maximum ?? 1_000) + 2 }));
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ known: fc.nat() }) },
    { weight: 3, arbitrary: fc.oneof(...valid).map((v) => percentEncode(String(v))) },
    // an empty segment would make `/campaigns/{id}` the list's `/campaigns/`, another operation
    { weight: 2, arbitrary: urlText.filter((text) => text !== "") },
  );
}

// Headers a client may choose; framing headers (length, encoding, expect, host) are left to the
// HTTP client, since getting those wrong is answered by Node's HTTP server before the app runs.
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 200 });
const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,20}$/);
const headers = fc
  .record(
    {
      // the right key (HTTP drops the surrounding space), near misses, and anything
      "x-api-key": fc.oneof(
        { weight: 3, arbitrary: fc.constant(TEST_ADMIN_API_KEY) },
        fc.constantFrom(` ${TEST_ADMIN_API_KEY}`, TEST_ADMIN_API_KEY.toUpperCase(), ""),
        printable,
      ),
      "x-request-id": fc.oneof(fc.stringMatching(/^[\w.:-]{1,128}$/), printable, fc.constant("x".repeat(4_000))),
      "x-forwarded-for": fc.oneof(fc.ipV4(), fc.ipV6(), fc.array(fc.ipV4(), { maxLength: 5 }).map((ips) => ips.join(", ")), printable),
      accept: fc.constantFrom("application/json", "text/html", "text/html, */*;q=0.1", "application/xml", "*/*", "", "garbage;;;q=x"),
    },
    { requiredKeys: [] },
  )
  .chain((chosen) => fc.dictionary(headerName, printable, { maxKeys: 2 }).map((extra) => ({ ...extra, ...chosen })));

const queryFor = (params: Parameter[]) =>
  fc
    .tuple(
      fc
        .subarray(params.filter((p) => p.in === "query"))
        .chain((chosen) => fc.tuple(...chosen.map((p) => pieceFor(p).map((v): [string, Piece] => [p.name, v])))),
      fc.array(fc.tuple(urlText, urlText), { maxLength: 3 }),
    )
    .chain(([documented, extra]) => fc.shuffledSubarray([...documented, ...extra], { minLength: documented.length }));

// Express ignores letter case and a trailing slash; placeholders keep their spelling.
const spellingOf = (template: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(template) },
    fc.constant(`${template}/`),
    fc.mixedCase(fc.constant(template)).map((path) => path.replace(/\{[^}]+\}/gi, (p) => p.toLowerCase())),
  );

/** Requests for a documented operation: its path and parameters, near-valid and hostile bodies. */
export function requestFor(op: DocumentedOperation): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === "path");
  return fc.record({
    operationId: fc.constant(op.operationId),
    template: fc.constant(op.template),
    method: fc.constant(op.method),
    path: spellingOf(op.template),
    params: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pieceFor(p)]))),
    query: queryFor(op.parameters),
    headers,
    body: bodyFor(op.body),
  }) as fc.Arbitrary<FuzzRequest>;
}

/** Methods the document does not list for a documented path. */
export function undocumentedMethodFor(template: string, documented: string[]): fc.Arbitrary<FuzzRequest> | undefined {
  const others = METHODS.filter((m) => !documented.includes(m));
  if (!others.length) return undefined;
  return fc.record({
    method: fc.constantFrom(...others),
    path: fc.constant(template.replace(/\{[^}]+\}/g, "x")),
    params: fc.constant({}),
    query: queryFor([]),
    headers,
    body: bodyFor(undefined),
  });
}

/** Paths no route serves (the API's own /openapi.json and /docs are deliberately outside the document). */
export function unknownPath(templates: string[]): fc.Arbitrary<FuzzRequest> {
  const path = fc
    .oneof(
      fc.array(urlText, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join("/")}`),
      fc.constantFrom(...templates).chain((t) => urlText.map((extra) => `${t.replace(/\{[^}]+\}/g, "x")}/${extra}`)),
      fc.constantFrom("//customer-registration", "/.env", "/admin", "/campaigns/x/y", "/%2e%2e/%2e%2e/etc/passwd"),
    )
    .filter((p) => !templates.some((t) => servesAs(t, p)) && !/^\/(openapi\.json|docs)(\/|$)/i.test(p));
  return fc.record({ method: fc.constantFrom(...METHODS), path, params: fc.constant({}), query: queryFor([]), headers, body: bodyFor(undefined) });
}
