import assert from "node:assert/strict";
import { Knex } from "knex";
import request from "supertest";
import { signLinkToken } from "../../../../shared/src/link-token";
import { TEST_UNSUBSCRIBE_SIGNING_KEY } from "../../support/test-app";
import { FuzzRequest } from "./fuzz-request";

/**
 * What the API has promised so far: each registration that answered 201, each campaign created
 * with 201 and not yet deleted with 204. The database must hold exactly that, nothing more.
 */
export class Ledger {
  private readonly customers = new Map<string, string>(); // id → email as answered
  private readonly registeredIn = new Map<string, number>(); // email → batch of its 201
  private readonly campaigns = new Set<string>();
  private batch = 0;
  /** Answers per operation and status, e.g. `registerCustomer 201` → 412. */
  readonly answers = new Map<string, number>();

  startBatch(): void {
    this.batch++;
  }

  record(req: FuzzRequest, res: request.Response, params: Record<string, string>): void {
    const key = `${req.operationId ?? `${req.method} (undocumented)`} ${res.status}`;
    this.answers.set(key, (this.answers.get(key) ?? 0) + 1);
    if (req.operationId === "registerCustomer" && res.status === 201) {
      this.customers.set(res.body.id, res.body.email_id);
      this.registeredIn.set(res.body.email_id, this.batch);
    }
    if (req.operationId === "createCampaign" && res.status === 201) this.campaigns.add(res.body.id);
    if (req.operationId === "deleteCampaign" && res.status === 204) this.campaigns.delete(params.id);
  }

  /** Values generators refer to as `{ known: n }`: live campaign ids, customers' link tokens (for each purpose). */
  readonly known = (name: string): string[] => {
    if (name === "id") return [...this.campaigns];
    if (name === "token") {
      return [...this.customers.keys()].flatMap((id) => [
        signLinkToken(id, "unsubscribe", TEST_UNSUBSCRIBE_SIGNING_KEY),
        signLinkToken(id, "confirm-marketing", TEST_UNSUBSCRIBE_SIGNING_KEY),
      ]);
    }
    return [];
  };

  /** Whether the email was registered before this batch; undefined when it was registered during it (a race either way). */
  wasRegistered(email: string): boolean | undefined {
    const batch = this.registeredIn.get(email);
    return batch === undefined ? false : batch < this.batch ? true : undefined;
  }

  async expectDatabaseMatches(db: Knex): Promise<void> {
    const sorted = (values: string[]) => [...values].sort();
    const customers = await db("customers").select("id", "email");
    assert.deepEqual(
      sorted(customers.map((c) => `${c.id} ${c.email}`)),
      sorted([...this.customers].map(([id, email]) => `${id} ${email}`)),
      "the customers table holds exactly the registrations that answered 201",
    );
    const events = await db("outbox").select(db.raw("payload::jsonb -> 'customer' ->> 'id' AS id"));
    assert.deepEqual(sorted(events.map((e) => e.id)), sorted([...this.customers.keys()]), "one customer.registered event per customer");
    assert.deepEqual(sorted(await db("campaigns").pluck("id")), sorted([...this.campaigns]), "campaigns: created with 201, less those deleted with 204");
  }
}
