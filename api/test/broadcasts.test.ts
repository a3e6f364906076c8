import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { parseBroadcastLaunched } from "../../shared/src/events/broadcast-launched";
import { OutboxRelay } from "../src/outbox/relay";
import { Customer } from "../src/customers/repository";
import { storeCampaign, storeConfirmedCustomer, storeDeliveries } from "./support/broadcast-builders";
import { eventually } from "./support/eventually";
import { conformingRequest } from "./support/openapi-conformance";
import { recordingPublisher } from "./support/recording-publisher";
import { silentLogger, TEST_ADMIN_API_KEY, useTestApp } from "./support/test-app";

const DAY_MS = 86_400_000;

describe("broadcasts (admin): launch, progress, cancel, relaunch", () => {
  const publisher = recordingPublisher();
  let relay: OutboxRelay | undefined;
  // The relay runs as in main.ts, but its sweep never comes in a test: only the launch's own trigger publishes.
  const ctx = useTestApp({ onEventCommitted: () => relay?.trigger() });
  before(() => {
    relay = new OutboxRelay({ db: ctx.db, publisher, logger: silentLogger, sweepIntervalMs: 3_600_000 });
  });
  after(() => relay?.stop());
  beforeEach(async () => {
    await ctx.db("broadcasts").delete();
    await ctx.db("customers").delete();
    await ctx.db("outbox").delete();
  });

  const admin = {
    post: (path: string) => conformingRequest(ctx.app).post(path).set("x-api-key", TEST_ADMIN_API_KEY),
    get: (path: string) => conformingRequest(ctx.app).get(path).set("x-api-key", TEST_ADMIN_API_KEY),
  };
  const launch = (campaignId: string, segment: object = {}) => admin.post("/broadcasts").send({ campaign_id: campaignId, segment });
  const launched = async (campaignId: string, segment: object = {}) => {
    const res = await launch(campaignId, segment);
    assert.equal(res.status, 202, res.text);
    return res.body;
  };
  const launchEvents = async () =>
    (await ctx.db("outbox").where({ event_type: "broadcast.launched" }).orderBy("seq")).map((row) => ({ id: row.id, event: parseBroadcastLaunched(row.payload) }));
  const setStatus = (id: string, fields: object) => ctx.db("broadcasts").where({ id }).update(fields);
  /** What the relay has published about a broadcast (other tests' events may still be on their way). */
  const publishedFor = (broadcastId: string) =>
    publisher.published.filter((m) => m.eventType === "broadcast.launched" && parseBroadcastLaunched(m.body).broadcast_id === broadcastId);

  describe("launch", () => {
    it("when a broadcast is launched, then it is recorded sending with its normalised segment, and its broadcast.launched event is published at once", async () => {
      const campaignId = await storeCampaign(ctx.db);

      const res = await launch(campaignId, { provinces: [" Québec ", "QUÉBEC"], registered_after: "2026-01-01T00:00:00+01:00" });

      assert.equal(res.status, 202);
      assert.equal(res.headers.location, `/broadcasts/${res.body.id}`);
      assert.equal(res.body.status, "sending");
      assert.equal(res.body.campaign_id, campaignId);
      assert.deepEqual(res.body.segment, { provinces: ["Québec"], registered_after: "2025-12-31T23:00:00.000Z" });
      assert.ok(res.body.started_at);
      assert.equal(res.body.finished_at, null);
      const row = await ctx.db("broadcasts").where({ id: res.body.id }).first();
      assert.deepEqual(row.segment, res.body.segment);
      assert.equal(row.status, "sending");
      assert.equal(row.started_at.toISOString(), res.body.started_at);
      const [{ event }] = await launchEvents();
      assert.equal(event.broadcast_id, res.body.id);
      assert.equal(event.occurred_at, res.body.started_at);
      await eventually(() => publishedFor(res.body.id).length === 1, 5_000, "the event published by the launch's trigger");
      assert.equal(publishedFor(res.body.id)[0].eventType, "broadcast.launched");
    });

    it("when a broadcast is launched, then it targets exactly what the preview counted", async () => {
      const campaignId = await storeCampaign(ctx.db);
      await storeConfirmedCustomer(ctx.db, { city: "Ottawa" });
      await storeConfirmedCustomer(ctx.db, { city: "OTTAWA" });
      await storeConfirmedCustomer(ctx.db, { city: "Toronto" });
      const segment = { cities: ["ottawa"] };
      const { body: preview } = await admin.post("/broadcasts/preview").send({ campaign_id: campaignId, segment }).expect(200);

      const broadcast = await launched(campaignId, segment);

      assert.equal(preview.recipients, 2);
      assert.equal(broadcast.targeted, 0);
      assert.equal(broadcast.enumerated, false);
      assert.equal(broadcast.remaining, preview.recipients);
    });

    it("when the campaign is upcoming, then it launches; when it has ended, then preview and launch answer 409 and record nothing", async () => {
      const upcoming = await storeCampaign(ctx.db, { starts_at: new Date(Date.now() + DAY_MS), ends_at: null });
      const ended = await storeCampaign(ctx.db, { starts_at: new Date(Date.now() - 10 * DAY_MS), ends_at: new Date(Date.now() - DAY_MS) });

      await launched(upcoming);
      const answers = [await launch(ended), await admin.post("/broadcasts/preview").send({ campaign_id: ended, segment: {} })];

      for (const res of answers) {
        assert.equal(res.status, 409);
        assert.equal(res.body.error.code, "campaign-ended");
      }
      assert.equal((await ctx.db("broadcasts").where({ campaign_id: ended })).length, 0);
      assert.equal((await launchEvents()).length, 1);
    });

    it("when the campaign does not exist, then preview and launch answer 404 naming campaign_id and record nothing", async () => {
      for (const res of [await launch(randomUUID()), await admin.post("/broadcasts/preview").send({ campaign_id: randomUUID(), segment: {} })]) {
        assert.equal(res.status, 404);
        assert.equal(res.body.error.code, "not-found");
        assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field), ["campaign_id"]);
      }
      assert.equal((await ctx.db("broadcasts")).length, 0);
    });

    it("when the event cannot be written, then the launch fails and leaves no broadcast either", async () => {
      const campaignId = await storeCampaign(ctx.db);
      // A trigger refusing the event: the broadcast was inserted before it, in the same transaction.
      await ctx.db.raw(`CREATE FUNCTION refuse_broadcast_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.event_type = 'broadcast.launched' THEN RAISE EXCEPTION 'outbox refused'; END IF; RETURN NEW; END $$`);
      await ctx.db.raw("CREATE TRIGGER refuse_broadcast_event BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_broadcast_event()");
      try {
        const res = await launch(campaignId);

        assert.equal(res.status, 500);
        assert.equal(res.body.error.code, "internal-error");
        assert.equal((await ctx.db("broadcasts")).length, 0);
        assert.equal((await ctx.db("outbox")).length, 0);
      } finally {
        await ctx.db.raw("DROP TRIGGER refuse_broadcast_event ON outbox");
        await ctx.db.raw("DROP FUNCTION refuse_broadcast_event()");
      }
    });

    it("when a campaign has broadcasts, then deleting it answers 409 and keeps it", async () => {
      const campaignId = await storeCampaign(ctx.db);
      await launched(campaignId);

      const res = await conformingRequest(ctx.app).delete(`/campaigns/${campaignId}`).set("x-api-key", TEST_ADMIN_API_KEY);

      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, "campaign-has-broadcasts");
      assert.ok(await ctx.db("campaigns").where({ id: campaignId }).first());
    });
  });

  describe("progress", () => {
    /** Customers of the audience with a delivery in each status, and some it has not reached yet. */
    async function aBroadcastUnderWay(notReached: number) {
      const campaignId = await storeCampaign(ctx.db);
      const broadcast = await launched(campaignId);
      const statuses = ["queued", "queued", "queued", "sending", "sent", "sent", "sent", "sent", "suppressed", "skipped", "skipped", "failed"];
      const reached: [Customer, string][] = [];
      for (const status of statuses) reached.push([await storeConfirmedCustomer(ctx.db), status]);
      await storeDeliveries(ctx.db, broadcast.id, reached);
      for (let i = 0; i < notReached; i++) await storeConfirmedCustomer(ctx.db);
      await setStatus(broadcast.id, { targeted: statuses.length });
      return broadcast.id as string;
    }
    const progress = async (id: string) => (await admin.get(`/broadcasts/${id}`).expect(200)).body;
    const counts = ({ targeted, sent, suppressed, skipped, failed, remaining }: Record<string, number>) => ({ targeted, sent, suppressed, skipped, failed, remaining });

    it("when deliveries are under way, then each status is counted, and what is queued, being sent or not yet enumerated remains", async () => {
      const id = await aBroadcastUnderWay(5);

      assert.deepEqual(counts(await progress(id)), { targeted: 12, sent: 4, suppressed: 1, skipped: 2, failed: 1, remaining: 3 + 1 + 5 });
    });

    it("when the enumeration has ended, then only queued and sending deliveries remain", async () => {
      const id = await aBroadcastUnderWay(5);
      await setStatus(id, { enumerated: true });

      const body = await progress(id);

      assert.equal(body.enumerated, true);
      assert.deepEqual(counts(body), { targeted: 12, sent: 4, suppressed: 1, skipped: 2, failed: 1, remaining: 4 });
    });

    it("when the broadcast is cancelled, then its queued deliveries count as skipped and only sends under way remain; the rows are left for the function", async () => {
      const id = await aBroadcastUnderWay(5);

      const res = await admin.post(`/broadcasts/${id}/cancel`);

      assert.equal(res.status, 200);
      assert.equal(res.body.status, "cancelled");
      assert.ok(Date.parse(res.body.cancelled_at) <= Date.now());
      assert.deepEqual(counts(res.body), { targeted: 12, sent: 4, suppressed: 1, skipped: 2 + 3, failed: 1, remaining: 1 });
      assert.deepEqual(counts(await progress(id)), counts(res.body));
      assert.equal((await ctx.db("broadcast_deliveries").where({ broadcast_id: id, status: "queued" })).length, 3);
    });

    it("when broadcasts are listed, then they come newest first, filtered by campaign and status, and paged", async () => {
      const [first, second] = [await storeCampaign(ctx.db), await storeCampaign(ctx.db)];
      const a = await launched(first);
      const b = await launched(first);
      const c = await launched(second);
      await admin.post(`/broadcasts/${b.id}/cancel`).expect(200);
      for (const [x, minutesAgo] of [[a, 3], [b, 2], [c, 1]] as const) await setStatus(x.id, { created_at: new Date(Date.now() - minutesAgo * 60_000) });
      const ids = async (query: string) => (await admin.get(`/broadcasts${query}`).expect(200)).body.broadcasts.map((x: { id: string }) => x.id);

      assert.deepEqual(await ids(""), [c.id, b.id, a.id]);
      assert.deepEqual(await ids(`?campaign_id=${first}`), [b.id, a.id]);
      assert.deepEqual(await ids(`?campaign_id=${first}&status=sending`), [a.id]);
      assert.deepEqual(await ids("?status=cancelled"), [b.id]);
      assert.deepEqual(await ids("?limit=1&offset=1"), [b.id]);
    });
  });

  describe("state rules", () => {
    it("when a finished or cancelled broadcast is cancelled, then it answers 409 saying which, and nothing changes", async () => {
      const campaignId = await storeCampaign(ctx.db);
      const finished = await launched(campaignId);
      const finishedAt = new Date();
      await setStatus(finished.id, { status: "finished", enumerated: true, finished_at: finishedAt });
      const cancelled = await launched(campaignId);
      await admin.post(`/broadcasts/${cancelled.id}/cancel`).expect(200);
      const cancelledAt = (await ctx.db("broadcasts").where({ id: cancelled.id }).first()).cancelled_at;

      const answers = [await admin.post(`/broadcasts/${finished.id}/cancel`), await admin.post(`/broadcasts/${cancelled.id}/cancel`)];

      assert.deepEqual(answers.map((r) => [r.status, r.body.error.code]), [[409, "broadcast-finished"], [409, "broadcast-cancelled"]]);
      assert.deepEqual(await ctx.db("broadcasts").where({ id: finished.id }).first("status", "finished_at", "cancelled_at"), { status: "finished", finished_at: finishedAt, cancelled_at: null });
      assert.deepEqual((await ctx.db("broadcasts").where({ id: cancelled.id }).first()).cancelled_at, cancelledAt);
    });

    it("when a sending broadcast is relaunched, then a new broadcast.launched event names it and its enumeration starts again", async () => {
      const broadcast = await launched(await storeCampaign(ctx.db));
      await setStatus(broadcast.id, { enumerated: true, targeted: 3 });

      const res = await admin.post(`/broadcasts/${broadcast.id}/relaunch`);

      assert.equal(res.status, 202);
      assert.equal(res.body.status, "sending");
      assert.equal(res.body.enumerated, false);
      assert.equal(res.body.targeted, 3);
      const events = await launchEvents();
      assert.deepEqual(events.map((e) => e.event.broadcast_id), [broadcast.id, broadcast.id]);
      assert.notEqual(events[0].id, events[1].id);
      await eventually(() => publishedFor(broadcast.id).length === 2, 5_000, "both events published");
    });

    it("when a finished broadcast is relaunched, then it is sending again, to reach who joined its audience since", async () => {
      const broadcast = await launched(await storeCampaign(ctx.db));
      const reached = await storeConfirmedCustomer(ctx.db);
      await storeDeliveries(ctx.db, broadcast.id, [[reached, "sent"]]);
      await setStatus(broadcast.id, { status: "finished", enumerated: true, targeted: 1, finished_at: new Date() });
      await storeConfirmedCustomer(ctx.db); // confirmed their consent after the broadcast finished

      const res = await admin.post(`/broadcasts/${broadcast.id}/relaunch`);

      assert.equal(res.status, 202);
      assert.equal(res.body.status, "sending");
      assert.equal(res.body.finished_at, null);
      assert.equal(res.body.sent, 1);
      assert.equal(res.body.remaining, 1); // the newcomer; the customer already reached is not counted again
      assert.equal((await launchEvents()).length, 2);
    });

    it("when a cancelled broadcast is relaunched, or one whose campaign has ended, then it answers 409 and announces nothing", async () => {
      const campaignId = await storeCampaign(ctx.db);
      const cancelled = await launched(campaignId);
      await admin.post(`/broadcasts/${cancelled.id}/cancel`).expect(200);
      const ofEndedCampaign = await launched(campaignId);
      await ctx.db("campaigns").where({ id: campaignId }).update({ starts_at: new Date(Date.now() - 10 * DAY_MS), ends_at: new Date(Date.now() - DAY_MS) });

      const answers = [await admin.post(`/broadcasts/${cancelled.id}/relaunch`), await admin.post(`/broadcasts/${ofEndedCampaign.id}/relaunch`)];

      assert.deepEqual(answers.map((r) => [r.status, r.body.error.code]), [[409, "broadcast-cancelled"], [409, "campaign-ended"]]);
      assert.equal((await ctx.db("broadcasts").where({ id: cancelled.id }).first()).status, "cancelled");
      assert.equal((await launchEvents()).length, 2);
    });

    it("when the broadcast does not exist, then reading, cancelling and relaunching answer 404", async () => {
      const id = randomUUID();

      for (const res of [await admin.get(`/broadcasts/${id}`), await admin.post(`/broadcasts/${id}/cancel`), await admin.post(`/broadcasts/${id}/relaunch`)]) {
        assert.equal(res.status, 404);
        assert.equal(res.body.error.code, "not-found");
      }
    });
  });

  describe("ids PostgreSQL would refuse, and the admin key", () => {
    const badIds = ["00000000:0000:0000:0000:000000000000", "{00000000-0000-0000-0000-000000000000}", "0000000000000000000000000000000", "not-an-id"];

    for (const id of badIds) {
      it(`when a broadcast route gets the id ${id}, then it answers 400 naming id`, async () => {
        const path = `/broadcasts/${encodeURIComponent(id)}`;
        for (const res of [await admin.get(path), await admin.post(`${path}/cancel`), await admin.post(`${path}/relaunch`)]) {
          assert.equal(res.status, 400);
          assert.deepEqual(res.body.error.details.map((d: { field: string }) => d.field), ["id"]);
        }
      });
    }

    it("when campaign ids in a body or query are not 8-4-4-4-12 hex digits, then it answers 400 naming them", async () => {
      const answers = [
        await launch(badIds[0]),
        await admin.post("/broadcasts/preview").send({ campaign_id: badIds[1], segment: {} }),
        await admin.get(`/broadcasts?campaign_id=${encodeURIComponent(badIds[0])}&status=done&limit=0`),
      ];

      assert.deepEqual(answers.map((r) => r.status), [400, 400, 400]);
      assert.deepEqual(answers[0].body.error.details.map((d: { field: string }) => d.field), ["campaign_id"]);
      assert.deepEqual(answers[2].body.error.details.map((d: { field: string }) => d.field).sort(), ["campaign_id", "limit", "status"]);
    });

    it("when GET asks for /broadcasts/preview, then no route answers it (404), rather than a malformed id", async () => {
      const res = await admin.get("/broadcasts/preview");

      assert.equal(res.status, 404);
    });

    it("when the x-api-key is missing or wrong, then every broadcast route answers 401 and nothing is recorded", async () => {
      const campaignId = await storeCampaign(ctx.db);
      const broadcast = await launched(campaignId);
      for (const key of [undefined, "not-the-admin-key"]) {
        const as = <T extends { set(name: string, value: string): T }>(r: T) => (key ? r.set("x-api-key", key) : r);
        const client = conformingRequest(ctx.app);
        const answers = [
          await as(client.post("/broadcasts/preview")).send({ campaign_id: campaignId, segment: {} }),
          await as(client.post("/broadcasts")).send({ campaign_id: campaignId, segment: {} }),
          await as(client.get("/broadcasts")),
          await as(client.get(`/broadcasts/${broadcast.id}`)),
          await as(client.post(`/broadcasts/${broadcast.id}/cancel`)),
          await as(client.post(`/broadcasts/${broadcast.id}/relaunch`)),
        ];
        assert.deepEqual(answers.map((r) => r.status), [401, 401, 401, 401, 401, 401]);
      }
      assert.equal((await ctx.db("broadcasts")).length, 1);
      assert.equal((await ctx.db("broadcasts").where({ id: broadcast.id }).first()).status, "sending");
      assert.equal((await launchEvents()).length, 1);
    });
  });
});
