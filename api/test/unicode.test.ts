import assert from "node:assert/strict";
import { aRegistration } from "./support/builders";
import { conformingRequest } from "./support/openapi-conformance";
import { useTestApp } from "./support/test-app";

describe("Unicode in names and email addresses", () => {
  const ctx = useTestApp();
  const register = (body: object) => conformingRequest(ctx.app).post("/customer-registration").send(body);
  const verify = (email: string) => conformingRequest(ctx.app).post("/verify-registration").send({ email_id: email });
  const stored = (id: string) => ctx.db("customers").where({ id }).first();
  const announced = async (id: string) => {
    const [event] = await ctx.db("outbox").whereRaw("payload::jsonb #>> '{customer,id}' = ?", [id]);
    return JSON.parse(event.payload).customer;
  };

  // [first name, last name, city]: accents, Cyrillic, Han, Arabic (right to left). Emoji and the
  // zero-width non-joiner are refused in names (see hostile-names.test.ts).
  for (const [first, last, city] of [
    ["Zoë", "Brontë", "Québec"],
    ["José", "Ñandú", "São Paulo"],
    ["Иван", "Петров", "Москва"],
    ["李雷", "韩梅梅", "北京"],
    ["محمد", "عبد الله", "القاهرة"],
  ]) {
    it(`when ${first} ${last} from ${city} registers, then the names are stored and announced exactly as sent`, async () => {
      const res = await register(aRegistration({ first_name: first, last_name: last, city }));

      assert.equal(res.status, 201);
      const row = await stored(res.body.id);
      assert.deepEqual([row.first_name, row.last_name, row.city], [first, last, city]);
      assert.equal((await announced(res.body.id)).first_name, first);
    });
  }

  it("when a name arrives decomposed (e + combining accent), then it is stored composed (NFC), the same text as the composed spelling", async () => {
    const decomposed = "Zoe\u0308 Jose\u0301";

    const res = await register(aRegistration({ first_name: decomposed, city: "Montre\u0301al" }));

    assert.equal(res.status, 201);
    const row = await stored(res.body.id);
    assert.equal(row.first_name, "Zo\u00eb Jos\u00e9");
    assert.equal(row.city, "Montr\u00e9al");
    assert.equal((await announced(res.body.id)).first_name, "Zo\u00eb Jos\u00e9");
  });

  it("when an email differs only in letter case or surrounding white space (tabs, no-break and ideographic spaces), then it is the same customer", async () => {
    const variants = ["Ana.Lima@Example.com", " ana.lima@example.com", "ANA.LIMA@EXAMPLE.COM\t", "\u00a0ana.LIMA@example.com\u3000", "\nAna.Lima@EXAMPLE.com \n"];

    const answers = await Promise.all(variants.map((email) => register(aRegistration({ email_id: email }))));

    // They race: any one of them may be the one registered.
    const [created, ...again] = [...answers].sort((a, b) => a.status - b.status);
    assert.equal(created.status, 201);
    assert.equal(created.body.email_id, "ana.lima@example.com");
    for (const res of again) assert.equal(res.body.error?.code, "email-already-registered");
    for (const email of variants) assert.deepEqual((await verify(email)).body, { email_id: "ana.lima@example.com", registered: true });
    assert.equal((await ctx.db("customers").whereILike("email", "%ana.lima%")).length, 1);
  });

  it("when the domain is internationalised, then the address is kept in its ASCII (punycode) form and both spellings are the same customer", async () => {
    const res = await register(aRegistration({ email_id: "Jose@Exämple.com" }));

    assert.equal(res.status, 201);
    assert.equal(res.body.email_id, "jose@xn--exmple-cua.com");
    assert.equal((await register(aRegistration({ email_id: "jose@XN--EXMPLE-CUA.com" }))).status, 409);
    assert.deepEqual((await verify("JOSE@EXÄMPLE.COM")).body, { email_id: "jose@xn--exmple-cua.com", registered: true });
  });

  for (const email of ["josé@example.com", "李雷@例子.中国", "иван@пример.рф"]) {
    it(`when the part before @ is not ASCII (${email}), then it answers 400 on email_id and stores nothing: SES could never deliver to it`, async () => {
      const res = await register(aRegistration({ email_id: email }));

      assert.equal(res.status, 400);
      assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field), ["email_id"]);
      assert.equal((await ctx.db("customers").where("email", "like", `${email.split("@")[0]}%`)).length, 0);
    });
  }
});
