/** Values a careless client or an attacker puts where the API expects a field, a header or a path segment. */
import fc from "fast-check";

// Each of these broke some API somewhere: NUL and lone surrogates (PostgreSQL refuses them), bidi
// and zero-width characters, letters whose case mapping changes their length, injection payloads,
// text that merely looks like another JSON type, what a name must not carry into an inbox (encoded
// words, domains, invisible letters), and uuid spellings PostgreSQL refuses.
const notorious = [
  "", " ", "\t", "\u0000", "a\u0000b", "\ud800", "x\udfffy", "\u202eevil", "\u2066x\u2069", "\ufeff", "\u200b", "\u00a0",
  "Zoe\u0308", "İstanbul", "ß", "ΑΣ", "ǅ", "😀", "👩‍💻", "李雷", "محمد", "Иван", "\r\n", "\n".repeat(50),
  "null", "undefined", "NaN", "-1", "0", "1e309", "true", "{}", "[]", "__proto__", "constructor",
  "' OR 1=1 --", "'); DROP TABLE customers; --", "<script>alert(1)</script>", "${7*7}", "{{7*7}}", "../../etc/passwd", "%00", "%zz",
  "=?utf-8?q?x?=", "evil.example", "J.R.R.", "\u3164", "00000000:0000:0000:0000:000000000000", "{00000000-0000-4000-8000-000000000000}",
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...notorious),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "binary-ascii", maxLength: 30 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }),
  // around the length limits (names 50 and places 100 code points, 120, 254, 500) and well beyond them
  fc.string({ unit: "grapheme", minLength: 45, maxLength: 55 }),
  fc.string({ minLength: 95, maxLength: 130 }),
  fc.string({ unit: "grapheme-composite", minLength: 240, maxLength: 520 }),
  fc.constant("x".repeat(5_000)),
);

/** Anything JSON can carry in place of a field's value. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

// A few addresses registered over and over, in any letter case and with surrounding space, so
// registrations collide (409) and verifications find them.
const collidingEmail = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom("", " ", "\t", "\u00a0"), fc.boolean())
  .map(([n, space, shout]) => {
    const email = `fuzz.${n}@example.com`;
    return `${space}${shout ? email.toUpperCase() : email}${space}`;
  });

/** Mostly deliverable addresses (fresh or colliding), some odd but valid by RFC 5322, some internationalised. */
export const emailValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.uuid().map((id) => `fresh.${id.slice(0, 13)}@example.com`) },
  { weight: 5, arbitrary: collidingEmail },
  fc.emailAddress(),
  fc.constantFrom("josé@example.com", "jose@exämple.com", "user@xn--exmple-cua.com", "李雷@例子.中国", "a@b.co\u200b", "a@localhost", "a@[127.0.0.1]"),
);

/** Instants as ISO text: near now, at the edges of four-digit years, beyond them, and impossible calendar dates. */
export const dateValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -400, max: 400 }).map((days) => new Date(Date.now() + days * 86_400_000).toISOString()) },
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999Z",
    "+275760-09-13T00:00:00.000Z",
    "-000001-01-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-01-01T00:00:00+14:00",
    "2026-01-01",
  ),
);

/** Request bodies that are (mostly) not JSON: JSON cut short or doubled, binary text, near-JSON syntax. */
export const invalidJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.json().map((text) => text.slice(0, Math.max(1, text.length - 1))),
  fc.json().map((text) => `${text}${text}`),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.constantFrom("{", "}", "[", "{'a': 1}", '{"a": 1,}', "\ufeff{}", "NaN", '{"a": NaN}', "[".repeat(5_000), "\u0000"),
);
