import { RequestHandler } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { AppError } from "../../../shared/src/app-error";

export interface RateLimits {
  windowMs: number;
  /** Requests per client address and window on every route but health checks. */
  perClient: number;
  /** Stricter limit for POST /verify-registration, which would otherwise let anyone enumerate registered emails. */
  verifyPerClient: number;
}

/**
 * Counts per client address as the load balancer reports it (`trust proxy` is exactly one hop, so
 * a client cannot choose its own address with X-Forwarded-For). Counters live in each task's
 * memory: with N tasks a client gets at most N times the limit, which still stops enumeration.
 */
function limiter(windowMs: number, limit: number): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    // IPv6 clients are grouped by /56 network (one client can hold a whole block); IPv4 is used as is.
    keyGenerator: (req) => (req.ip?.includes(":") ? ipKeyGenerator(req.ip) : (req.ip ?? "unknown")),
    handler: (_req, _res, next) =>
      next(new AppError("rate-limited", "Too many requests, please retry later", { status: 429 })),
  });
}

export function rateLimiters(limits: RateLimits): { perClient: RequestHandler; verify: RequestHandler } {
  const perClient = limiter(limits.windowMs, limits.perClient);
  return {
    perClient: (req, res, next) => (req.path.startsWith("/health") ? next() : perClient(req, res, next)),
    verify: limiter(limits.windowMs, limits.verifyPerClient),
  };
}
