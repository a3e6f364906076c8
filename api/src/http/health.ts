import { Router } from "express";
import { Knex } from "knex";
import { AppError } from "../../../shared/src/app-error";

const READINESS_TIMEOUT_MS = 2_000;

/**
 * `/health` says the process is alive (ECS restarts it otherwise); `/health/ready` says it can serve
 * (the load balancer stops sending traffic otherwise): the database answers and no shutdown has begun.
 */
export function healthRoutes(deps: { db: Knex; isShuttingDown: () => boolean }): Router {
  const router = Router();
  router.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/health/ready", async (_req, res) => {
    if (deps.isShuttingDown()) throw notReady("shutting down");
    try {
      await deps.db.raw("SELECT 1").timeout(READINESS_TIMEOUT_MS, { cancel: false });
    } catch (err) {
      throw notReady("database unreachable", err);
    }
    res.json({ status: "ready" });
  });
  return router;
}

function notReady(reason: string, cause?: unknown): AppError {
  return new AppError("not-ready", `Not ready: ${reason}`, { status: 503, cause });
}
