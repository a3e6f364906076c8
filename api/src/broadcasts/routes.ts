import { Response, Router } from "express";
import { requireApiKey } from "../http/require-api-key";
import { validate } from "../http/validate";
import { readBroadcastProgress, toBroadcastSummary } from "./broadcast-progress";
import { broadcastNotFound, cancelBroadcast, relaunchBroadcast } from "./change-broadcast";
import { BroadcastDependencies, launchBroadcast, previewBroadcast } from "./launch-broadcast";
import { listBroadcasts } from "./repository";
import { broadcastPathSchema, broadcastRequestSchema, listBroadcastsSchema } from "./schema";

/** Admin broadcasts of a campaign to a segment of customers; every route requires the admin API key. */
export function broadcastRoutes(deps: BroadcastDependencies & { adminApiKey: string }): Router {
  const router = Router();
  router.use("/broadcasts", requireApiKey(deps.adminApiKey));

  const broadcastId = (params: unknown): string => validate(broadcastPathSchema, params, "path").id;

  /** Answers with the broadcast's progress, read after the change committed. */
  const answerProgress = async (res: Response, status: number, id: string) => {
    const progress = await readBroadcastProgress(deps.db, id);
    if (!progress) throw broadcastNotFound(id);
    res.status(status).json(progress);
  };

  router.post("/broadcasts/preview", async (req, res) => {
    const recipients = await previewBroadcast(deps.db, validate(broadcastRequestSchema, req.body));
    res.json({ recipients });
  });
  // `preview` is an action, not a broadcast id: GET of it is no route (404), not a malformed id.
  router.get("/broadcasts/preview", (_req, _res, next) => next("router"));

  router.post("/broadcasts", async (req, res) => {
    const broadcast = await launchBroadcast(deps, validate(broadcastRequestSchema, req.body));
    res.location(`/broadcasts/${broadcast.id}`);
    await answerProgress(res, 202, broadcast.id);
  });

  router.get("/broadcasts", async (req, res) => {
    const broadcasts = await listBroadcasts(deps.db, validate(listBroadcastsSchema, req.query, "query"));
    res.json({ broadcasts: broadcasts.map(toBroadcastSummary) });
  });

  router.get("/broadcasts/:id", async (req, res) => {
    await answerProgress(res, 200, broadcastId(req.params));
  });

  router.post("/broadcasts/:id/cancel", async (req, res) => {
    const broadcast = await cancelBroadcast(deps, broadcastId(req.params));
    await answerProgress(res, 200, broadcast.id);
  });

  router.post("/broadcasts/:id/relaunch", async (req, res) => {
    const broadcast = await relaunchBroadcast(deps, broadcastId(req.params));
    await answerProgress(res, 202, broadcast.id);
  });

  return router;
}
