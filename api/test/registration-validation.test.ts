import assert from "node:assert/strict";
import { aRegistration } from "./support/builders";
import { conformingRequest, documentAcceptsRequestBody } from "./support/openapi-conformance";
import { useTestApp } from "./support/test-app";

const fieldsOf = (res: { body: { error: { details: { field: string }[] } } }) =>
  res.body.error.details.map((d) => d.field).sort();

describe("POST /customer-registration validation", () => {
  const ctx = useTestApp();
  // Each test registers under fresh emails, so "nothing stored" is checked per email.
  const register = (body: object) => conformingRequest(ctx.app).post("/customer-registration").send(body);
  const storedWith = async (email: unknown) =>
    typeof email === "string" ? (await ctx.db("customers").where({ email: email.trim().toLowerCase() })).length : 0;

  it("when every field is wrong at once, then one 400 names each offending field once and nothing is stored", async () => {
    const body = {
      first_name: "",
      last_name: 5,
      email_id: "not-an-email",
      phone: "call me",
      province: "   ",
      city: "x".repeat(101),
      postalcode: "-1",
      marketing_opt_in: "yes",
      nickname: "JD",
    };

    const res = await register(body);

    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "validation-failed");
    assert.deepEqual(fieldsOf(res), [...Object.keys(body)].sort());
    assert.equal((await ctx.db("customers")).length, 0);
  });

  it("when the body is empty, then each required field is named and marketing_opt_in is not", async () => {
    const res = await register({});

    assert.equal(res.status, 400);
    assert.deepEqual(fieldsOf(res), ["city", "email_id", "first_name", "last_name", "phone", "postalcode", "province"]);
  });

  it("when the client tries to set server-owned columns, then they are rejected as unknown fields", async () => {
    const body = aRegistration({ is_active: false, id: "4b0e8a8e-8a8e-4b0e-8a8e-4b0e8a8e8a8e", created_at: "2000-01-01T00:00:00Z" } as object);

    const res = await register(body);

    assert.equal(res.status, 400);
    assert.deepEqual(fieldsOf(res), ["created_at", "id", "is_active"]);
    assert.equal(await storedWith(body.email_id), 0);
  });

  it("when the body is a JSON array, then it answers 400 naming the body", async () => {
    const res = await register([aRegistration()]);

    assert.equal(res.status, 400);
    assert.deepEqual(fieldsOf(res), ["body"]);
  });

  // Each field's bounds and patterns: the last accepted value and the first refused one.
  const boundaries: [field: string, accepted: unknown[], refused: unknown[]][] = [
    // Lengths count code points: 𝒜 (U+1D49C) is one character, though two UTF-16 units.
    ["first_name", ["J", "x".repeat(50), "𝒜".repeat(50), "Zoé-Ærøskøbing 李"], ["", "   ", "x".repeat(51), "𝒜".repeat(51), "Ja\u0000ne", "Ja\nne", 42, null, ["Jane"]]],
    ["last_name", ["D", "x".repeat(50)], ["", "x".repeat(51), { $ne: "" }]],
    ["province", ["O", "x".repeat(100), "Provence-Alpes-Côte d'Azur"], ["", "x".repeat(101), "12", true]],
    ["city", ["T", "x".repeat(100), "100 Mile House", "Halle (Saale)", "Washington, D.C.", "Bozen/Bolzano"], ["", "x".repeat(101), "To\ud800ronto", "To\u202eronto", "Toronto 🏙", 7]],
    [
      "email_id",
      ["a@b.co", "O'Reilly+tag@sub.example.org", `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.com`],
      ["plain", "a@b", "a@@b.com", "a b@c.com", "@example.com", `${"a".repeat(65)}@example.com`, `${"a".repeat(64)}@${"b".repeat(190)}.com`, 12],
    ],
    [
      "phone",
      ["1234567", "123456789012345", "+44 20 7946 0958", "(416) 555-0100", "416.555.0100", "1 2 3 4 5 6 7 8 9 0 1 2 3"],
      ["123456", "1234567890123456", "1 2 3 4 5 6 7 8 9 0 1 2 3 4", "++14165550100", "416-555-CALL", "+1 416 555 0100 ext 2", "", 4165550100],
    ],
    ["postalcode", ["M5V", "M5V 2T6", "90210-1234", "SW1A 1AA", "1234567890"], ["12", "12345678901", "-M5V", "M5V-", "M5V_2T6", "M5V#2T6", ""]],
    ["marketing_opt_in", [true, false], ["yes", "true", 1, null]],
  ];

  for (const [field, accepted, refused] of boundaries) {
    it(`when ${field} is within its bounds, then it is accepted, as the document says it is`, async () => {
      for (const value of accepted) {
        const body = aRegistration({ [field]: value });

        const res = await register(body);

        assert.equal(res.status, 201, `${field}=${JSON.stringify(value)}: ${JSON.stringify(res.body)}`);
        assert.ok(await documentAcceptsRequestBody("post", "/customer-registration", body), `the document refuses ${field}=${JSON.stringify(value)}`);
      }
    });

    it(`when ${field} breaks its bounds or pattern, then it answers 400 naming only ${field}`, async () => {
      for (const value of refused) {
        const body = aRegistration({ [field]: value });

        const res = await register(body);

        assert.equal(res.status, 400, `${field}=${JSON.stringify(value)}`);
        assert.deepEqual(fieldsOf(res), [field], `${field}=${JSON.stringify(value)}`);
        assert.equal(await storedWith(body.email_id), 0);
      }
    });
  }
});
