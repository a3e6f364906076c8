import assert from "node:assert/strict";
import { Knex } from "knex";
import request from "supertest";
import { signLinkToken } from "../../../../shared/src/link-token";
import { dataSubjectSchema, DataSubjectQuery } from "../../../src/privacy/schema";
import { TEST_UNSUBSCRIBE_SIGNING_KEY } from "../../support/test-app";
import { FuzzRequest } from "./fuzz-request";

/**
 * What the API has promised so far: each registration that answered 201 and was not erased with
 * 200, each campaign created with 201 and not yet deleted with 204, each broadcast launched with
 * 202 (cancelled if a cancel answered 200) and announced once per launch or relaunch answered 202.
 * The database must hold exactly that, nothing more.
 */
export class Ledger {
  private readonly customers = new Map<string, string>(); // id → email as answered
  private readonly registeredIn = new Map<string, number>(); // email → batch of its 201
  private readonly campaigns = new Set<string>();
  private readonly broadcasts = new Map<string, { status: string; announced: number }>();
  private erasures: DataSubjectQuery[] = []; // answered 200 in this batch
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
    if (req.operationId === "launchBroadcast" && res.status === 202) this.broadcasts.set(res.body.id, { status: "sending", announced: 1 });
    if (req.operationId === "relaunchBroadcast" && res.status === 202) this.broadcasts.get(params.id)!.announced++;
    // A relaunch after a cancel is refused, so a cancel that answered 200 is the broadcast's last word.
    if (req.operationId === "cancelBroadcast" && res.status === 200) this.broadcasts.get(params.id)!.status = "cancelled";
    if (req.operationId === "erasePersonalData" && res.status === 200) {
      // Whom it erased, as the API read the body (trimmed, lower case, punycode).
      this.erasures.push(dataSubjectSchema.validate(JSON.parse(req.body!.text)).value!);
    }
  }

  /** Values generators refer to as `{ known: n }`: live campaign and broadcast ids, customers' link tokens (for each purpose). */
  readonly known = (name: string, template?: string): string[] => {
    if (name === "id" && template === "/broadcasts/{id}/relaunch") {
      // Mostly broadcasts still sending: cancels (which pick among all) would otherwise leave relaunches little to succeed on.
      const sending = [...this.broadcasts].filter(([, b]) => b.status === "sending").map(([id]) => id);
      return [...sending, ...sending, ...sending, ...this.broadcasts.keys()];
    }
    if (name === "id" && template?.startsWith("/broadcasts/")) return [...this.broadcasts.keys()];
    if (name === "id") return [...this.campaigns];
    if (name === "campaign_id") return [...this.campaigns];
    if (name === "email_id") return [...this.customers.values()];
    if (name === "token") {
      return [...this.customers.keys()].flatMap((id) => [
        signLinkToken(id, "unsubscribe", TEST_UNSUBSCRIBE_SIGNING_KEY),
        signLinkToken(id, "confirm-marketing", TEST_UNSUBSCRIBE_SIGNING_KEY),
      ]);
    }
    return [];
  };

  /** Whether the email was registered before this batch; undefined when it was registered or erased during it (a race either way). */
  wasRegistered(email: string): boolean | undefined {
    if (this.erasures.some((e) => ("email_id" in e ? e.email_id : this.customers.get(e.customer_id)) === email)) return undefined;
    const batch = this.registeredIn.get(email);
    return batch === undefined ? false : batch < this.batch ? true : undefined;
  }

  /**
   * Takes this batch's erasures off the ledger. When an address was registered and erased in the
   * same batch, the requests raced: the database says which of its customers remain, and the
   * ledger checks only that as many remain as the answers allow.
   */
  private async settleErasures(db: Knex): Promise<void> {
    const erasedByEmail = new Map<string, number>();
    for (const erasure of this.erasures) {
      const email = "email_id" in erasure ? erasure.email_id : this.customers.get(erasure.customer_id);
      assert.ok(email !== undefined, `erasure of a customer nobody registered: ${JSON.stringify(erasure)}`);
      erasedByEmail.set(email, (erasedByEmail.get(email) ?? 0) + 1);
    }
    this.erasures = [];
    for (const [email, erased] of erasedByEmail) {
      const candidates = [...this.customers].filter(([, e]) => e === email).map(([id]) => id);
      assert.ok(erased <= candidates.length, `${erased} erasures of ${email} answered 200, but only ${candidates.length} registrations`);
      const remaining = erased === candidates.length ? new Set<string>() : new Set<string>(await db("customers").whereIn("id", candidates).pluck("id"));
      assert.equal(remaining.size, candidates.length - erased, `customers left with ${email}`);
      for (const id of candidates) if (!remaining.has(id)) this.customers.delete(id);
      if (remaining.size === 0) this.registeredIn.delete(email);
    }
  }

  async expectDatabaseMatches(db: Knex): Promise<void> {
    await this.settleErasures(db);
    const sorted = (values: string[]) => [...values].sort();
    const customers = await db("customers").select("id", "email");
    assert.deepEqual(
      sorted(customers.map((c) => `${c.id} ${c.email}`)),
      sorted([...this.customers].map(([id, email]) => `${id} ${email}`)),
      "the customers table holds exactly the registrations that answered 201",
    );
    const events = await db("outbox").where({ event_type: "customer.registered" }).select(db.raw("payload::jsonb -> 'customer' ->> 'id' AS id"));
    assert.deepEqual(sorted(events.map((e) => e.id)), sorted([...this.customers.keys()]), "one customer.registered event per customer");
    assert.deepEqual(sorted(await db("campaigns").pluck("id")), sorted([...this.campaigns]), "campaigns: created with 201, less those deleted with 204");
    const broadcasts = await db("broadcasts").select("id", "status");
    const announced = await db("outbox").where({ event_type: "broadcast.launched" }).select(db.raw("payload::jsonb ->> 'broadcast_id' AS id"));
    assert.deepEqual(
      sorted(broadcasts.map((b) => `${b.id} ${b.status} ${announced.filter((e) => e.id === b.id).length}`)),
      sorted([...this.broadcasts].map(([id, b]) => `${id} ${b.status} ${b.announced}`)),
      "broadcasts: launched with 202, cancelled with 200, one event per launch and relaunch answered 202",
    );
    assert.equal(announced.length, [...this.broadcasts.values()].reduce((n, b) => n + b.announced, 0), "no event for a broadcast nobody launched");
  }
}
