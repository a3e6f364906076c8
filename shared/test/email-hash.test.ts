import assert from "node:assert/strict";
import { emailHash } from "../src/email-hash";
import { createTestDatabase, TestDatabase } from "../testing/test-database";

describe("the address hash suppressions are keyed by", () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.destroy());

  it("when an address is hashed by the services and by PostgreSQL's customers.email_hash, then both give the same key", async () => {
    const [row] = await database
      .db("customers")
      .insert({ first_name: "Ann", last_name: "Lee", email: "ann.lee+tag@xn--exmple-cua.com", phone: "+14165550100", province: "Ontario", city: "Toronto", postal_code: "M5V 2T6" })
      .returning("email_hash");

    assert.equal(row.email_hash, emailHash("  Ann.Lee+Tag@xn--exmple-cua.com "));
    assert.match(row.email_hash, /^[0-9a-f]{64}$/);
  });
});
