import assert from "node:assert/strict";
import { aRegistration } from "./support/builders";
import { conformingRequest, documentAcceptsRequestBody } from "./support/openapi-conformance";
import { useTestApp } from "./support/test-app";

/**
 * A registrant's first name reaches the inbox of whoever owns the email address they typed. Names
 * are words, so registration cannot carry a message, a link or invisible text to a stranger.
 */
describe("names are words", () => {
  const ctx = useTestApp();
  const register = (body: object) => conformingRequest(ctx.app).post("/customer-registration").send(body);
  const stored = (email: unknown) => ctx.db("customers").where({ email: String(email).toLowerCase() });

  const hostile: [what: string, value: string][] = [
    ["a URL with a right-to-left override (from the security review)", "your account is locked, verify now at https://evil.example/login \u202Egnp.exe"],
    ["only zero-width spaces", "\u200B\u200B\u200B"],
    ["only a zero-width joiner and a word joiner", "\u200D\u2060"],
    ["a right-to-left override", "Jane\u202E"],
    ["a left-to-right override", "\u202DJane"],
    ["bidi isolates", "\u2066Jane\u2069"],
    ["a right-to-left mark", "\u200FJane"],
    ["an Arabic letter mark", "\u061CJane"],
    ["a soft hyphen", "Ja\u00ADne"],
    ["a zero-width non-joiner", "Mehr\u200Cnaz"],
    ["an invisible Hangul filler that counts as a letter", "\u3164"],
    ["a variation selector", "Jane\uFE0F"],
    ["a tag character", "Jane\u{E0041}"],
    ["an RFC 2047 encoded word (Q)", "=?utf-8?q?Your_account_is_locked?="],
    ["an RFC 2047 encoded word (B)", "=?UTF-8?B?WW91ciBhY2NvdW50IGlzIGxvY2tlZA==?="],
    ["a URL", "https://evil.example"],
    ["a bare domain", "evil.example"],
    ["a domain in capitals within words", "Visit EVIL.COM now"],
    ["a www address", "www.evil.example"],
    ["an internationalised domain", "evil.рф"],
    ["digits", "Jane2"],
    ["Arabic-Indic digits", "\u0661\u0662\u0663"],
    ["an emoji", "👩‍💻 Ada"],
    ["punctuation only", "'-.'"],
    ["combining marks only", "\u0301\u0301"],
    ["markup", "<b>Jane</b>"],
    ["51 letters", "x".repeat(51)],
  ];

  for (const field of ["first_name", "last_name"]) {
    for (const [what, value] of hostile) {
      it(`when ${field} holds ${what}, then it answers 400 naming ${field}, stores nothing, and the document refuses it too`, async () => {
        const body = aRegistration({ [field]: value });

        const res = await register(body);

        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, "validation-failed");
        assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field), [field]);
        assert.equal((await stored(body.email_id)).length, 0);
        assert.equal(await documentAcceptsRequestBody("post", "/customer-registration", body), false);
      });
    }
  }

  // [first name, last name]: Polish, Irish (both apostrophes), Vietnamese, Japanese (ideographic space),
  // Kikuyu, Spanish, initials, Catalan middle dot, Hawaiian ʻokina, Devanagari and Tamil (vowel signs
  // are combining marks), Thai, Korean, Hebrew, Arabic, Greek, Georgian, Amharic, a Japanese
  // transliteration with its middle dot, the longest accepted length.
  const real: [string, string][] = [
    ["Łukasz", "Żółkiewski"],
    ["Siobhán", "O'Brien"],
    ["Seán", "O’Brien"],
    ["Nguyễn Văn An", "Nguyễn"],
    ["山田", "太郎"],
    ["山田　太郎", "山田"],
    ["Ngũgĩ", "wa Thiong'o"],
    ["José-María", "de la Cruz"],
    ["J.R.R.", "Tolkien"],
    ["Mary", "St. John"],
    ["Marcel·lí", "Gal·la"],
    ["Kaʻiulani", "Kawānanakoa"],
    ["सिद्धार्थ", "शर्मा"],
    ["தமிழ்செல்வி", "முருகன்"],
    ["สมชาย", "ใจดี"],
    ["김민준", "이"],
    ["עזרא", "כהן"],
    ["محمد", "عبد الله"],
    ["Αλέξανδρος", "Παπαδόπουλος"],
    ["ნინო", "ბერიძე"],
    ["አበበ", "ቢቂላ"],
    ["ジョン・スミス", "スミス"],
    ["Björk", "Guðmundsdóttir"],
    ["x".repeat(50), "𝒜".repeat(50)],
  ];

  for (const [first, last] of real) {
    it(`when ${first} ${last} registers, then both names are stored and announced exactly as sent`, async () => {
      const body = aRegistration({ first_name: first, last_name: last });

      const res = await register(body);

      assert.equal(res.status, 201, JSON.stringify(res.body));
      const [row] = await stored(body.email_id);
      assert.deepEqual([row.first_name, row.last_name], [first, last]);
      const [event] = await ctx.db("outbox").whereRaw("payload::jsonb #>> '{customer,id}' = ?", [res.body.id]);
      assert.equal(JSON.parse(event.payload).customer.first_name, first);
      assert.ok(await documentAcceptsRequestBody("post", "/customer-registration", body), `the document refuses ${first} ${last}`);
    });
  }

  it("when a name is typed decomposed (Vietnamese with stacked marks), then it is stored composed, the same text as typed elsewhere", async () => {
    const body = aRegistration({ first_name: "Nguye\u0302\u0303n", last_name: "Va\u0306n" });

    const res = await register(body);

    assert.equal(res.status, 201);
    const [row] = await stored(body.email_id);
    assert.deepEqual([row.first_name, row.last_name], ["Nguyễn", "Văn"]);
  });

  describe("places", () => {
    for (const [province, city] of [
      ["British Columbia", "100 Mile House"],
      ["Sachsen-Anhalt", "Halle (Saale)"],
      ["District of Columbia", "Washington, D.C."],
      ["Trentino-Südtirol", "Bozen/Bolzano"],
      ["Ontario", "Sault Ste. Marie"],
      ["Provence-Alpes-Côte d'Azur", "Saint-Rémy-de-Provence"],
      ["東京都", "千代田区"],
      ["Wales", "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"],
    ]) {
      it(`when the place is ${city}, ${province}, then it is stored exactly as sent`, async () => {
        const body = aRegistration({ province, city });

        const res = await register(body);

        assert.equal(res.status, 201, JSON.stringify(res.body));
        const [row] = await stored(body.email_id);
        assert.deepEqual([row.province, row.city], [province, city]);
      });
    }

    for (const [what, value] of [
      ["a right-to-left override", "Toronto\u202E"],
      ["a zero-width space", "Tor\u200Bonto"],
      ["only zero-width characters", "\u200B\u200C"],
      ["digits only", "90210"],
      ["a URL", "https://evil.example"],
      ["an encoded word", "=?utf-8?q?Toronto?="],
    ]) {
      it(`when the city holds ${what}, then it answers 400 naming city and stores nothing`, async () => {
        const body = aRegistration({ city: value });

        const res = await register(body);

        assert.equal(res.status, 400);
        assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field), ["city"]);
        assert.equal((await stored(body.email_id)).length, 0);
      });
    }
  });
});
