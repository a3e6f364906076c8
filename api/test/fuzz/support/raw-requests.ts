/** Raw HTTP/1.1 requests as bytes, for what Node's HTTP client would refuse to send. */
import fc from "fast-check";
import { TEST_ADMIN_API_KEY } from "../../support/test-app";

// Mostly well-formed requests with one or two things an HTTP client library would never send:
// control characters and line breaks inside headers, conflicting or lying lengths, broken chunked
// encoding, odd versions and methods, no Host. Wholly broken ones only exercise Node's parser.
const bytes = (min: number, max: number, maxLength: number) => fc.string({ unit: fc.integer({ min, max }).map((c) => String.fromCharCode(c)), maxLength });
const latin1 = (maxLength: number) => bytes(0, 0xff, maxLength); // control characters included
const visible = (maxLength: number) => bytes(0x21, 0x7e, maxLength);
const headerText = (maxLength: number) => bytes(0x20, 0xff, maxLength).map((text) => text.replace(/\x7f/g, "")); // obs-text included
const method = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT") },
  fc.constantFrom("HEAD", "OPTIONS", "TRACE", "CONNECT", "PRI", "get", ""),
  latin1(8),
);
const target = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("/", "/customer-registration", "/verify-registration", "/campaigns", "/broadcasts/preview", "/suppressions/lookup", "/unsubscribe?token=x", "/health/ready") },
  { weight: 2, arbitrary: fc.constantFrom("/campaigns/%E0%A4%A", "/unsubscribe?token=%", "*", "http://evil.example/", "/a b", "//") },
  { weight: 2, arbitrary: visible(40).map((text) => `/${text}`) },
  latin1(10).map((text) => `/${text}`),
);
const version = fc.oneof({ weight: 8, arbitrary: fc.constant("HTTP/1.1") }, fc.constantFrom("HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.", "", "HTTP/1.1 extra"));
const header = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("Accept: text/html", "Connection: close", "Connection: keep-alive") },
  { weight: 6, arbitrary: fc.tuple(fc.stringMatching(/^x-[a-z]{1,10}$/), headerText(40)).map(([name, value]) => `${name}: ${value}`) },
  fc.constantFrom(
    "Content-Length: 5",
    "Content-Length: -1",
    "Content-Length: 99999999999999999999",
    "Content-Length: 2, 3",
    "Transfer-Encoding: chunked",
    "Transfer-Encoding: gzip, chunked",
    "Transfer-Encoding: chunked, identity",
    "Content-Encoding: gzip",
    "Content-Type: text/plain",
    "Expect: 100-continue",
    "Expect: something-else",
    "Connection: upgrade",
    "Upgrade: websocket",
    "Host: second.example",
    "X-Forwarded-For: 203.0.113.7, \u0000",
    "x-api-key: \u0000",
  ),
  fc.tuple(latin1(12), latin1(12)).map(([name, value]) => `${name}: ${value}`),
  fc.constant(`x-huge: ${"x".repeat(20_000)}`), // beyond Node's 16 KiB header limit
);
const body = fc.oneof(
  { weight: 4, arbitrary: fc.json() },
  fc.constantFrom("", "5\r\n{}\r\n0\r\n\r\n", "zz\r\n", "0\r\n\r\n", "ffffffffffffffff\r\nx", "{\"email_id\": \"\u0000\"}"),
  latin1(200),
);
export const rawRequest = fc
  .record({
    method,
    target,
    version,
    host: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false)),
    admin: fc.boolean(), // with the admin key, requests reach the admin routes' handlers
    headers: fc.array(header, { maxLength: 3 }),
    body,
    eol: fc.oneof({ weight: 9, arbitrary: fc.constant("\r\n") }, fc.constant("\n")),
  })
  .map(({ method, target, version, host, admin, headers, body, eol }) => {
    const lines = [
      `${method} ${target} ${version}`,
      ...(host ? ["Host: localhost"] : []),
      ...(admin ? [`x-api-key: ${TEST_ADMIN_API_KEY}`] : []),
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body, "latin1")}`,
      ...headers, // may contradict the framing above
      "",
      body,
    ];
    return Buffer.from(lines.join(eol), "latin1");
  });
