/**
 * Builds the Express app from its dependencies. main.ts and the tests build it the same way, so
 * what the tests exercise is what runs in production.
 */
import cors from "cors";
import express from "express";
import { Knex } from "knex";
import { Logger } from "../../shared/src/logger";
import { broadcastRoutes } from "./broadcasts/routes";
import { campaignRoutes } from "./campaigns/routes";
import { customerRoutes } from "./customers/routes";
import { unsubscribeRoutes } from "./customers/unsubscribe-routes";
import { docsRoutes } from "./http/docs";
import { errorHandler, notFound, requireJsonBody } from "./http/error-handler";
import { healthRoutes, ReadinessOptions } from "./http/health";
import { RateLimits, rateLimiters } from "./http/rate-limits";
import { buildOpenApiDocument } from "./http/openapi-document";
import { requestLogging } from "./http/request-logging";
import { privacyRoutes } from "./privacy/routes";
import { securityHeaders } from "./http/security-headers";
import { suppressionRoutes } from "./suppressions/routes";
import packageJson from "../../package.json";

export interface AppDependencies {
  db: Knex;
  logger: Logger;
  appEnv: string;
  /** Compared with each admin request's `x-api-key`. */
  adminApiKey: string;
  /** Verifies the signed tokens of the links in emails (unsubscribe, confirm consent). */
  unsubscribeSigningKey: string;
  /** The key before the last rotation: links signed with it keep working. */
  previousUnsubscribeSigningKey?: string;
  /** Called after each commit that wrote outbox events (the relay publishes them). */
  onEventCommitted: () => void;
  rateLimits: RateLimits;
  /** Browser origins allowed to call the API; none by default. */
  corsOrigins: string[];
  /** Readiness answers 503 once this turns true, so the load balancer drains the task. */
  isShuttingDown?: () => boolean;
  /** Proxies whose X-Forwarded-For is believed: 0 (the header is ignored) or 1 (the load balancer). */
  trustProxyHops: number;
  /** The API's public URL; HSTS and `upgrade-insecure-requests` only when it is `https://`. */
  publicBaseUrl?: string;
  readiness?: ReadinessOptions;
}

export const BODY_LIMIT = "16kb";

export function buildApp(deps: AppDependencies): express.Express {
  const isShuttingDown = deps.isShuttingDown ?? (() => false);
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag"); // hashing every JSON answer costs CPU; API responses are not cached
  app.set("trust proxy", deps.trustProxyHops); // a number of hops: never `true`, or anyone picks their rate-limit key

  app.use(requestLogging(deps.logger));
  app.use((_req, res, next) => {
    if (isShuttingDown()) res.setHeader("Connection", "close"); // keep-alive clients reconnect elsewhere
    next();
  });
  app.use(securityHeaders(deps.publicBaseUrl));
  app.use(cors({ origin: deps.corsOrigins.length ? deps.corsOrigins : false }));
  const limit = rateLimiters(deps.rateLimits);
  app.use(limit.perClient);
  app.post("/verify-registration", limit.verify);
  app.post("/customer-registration", limit.registration);
  const signingKeys = { current: deps.unsubscribeSigningKey, previous: deps.previousUnsubscribeSigningKey };
  app.use(unsubscribeRoutes({ db: deps.db, signingKeys }));
  app.use(requireJsonBody);
  app.use(express.json({ limit: BODY_LIMIT }));

  // The busiest routes first: every router a request passes through before its own costs it a
  // dispatch (docs/benchmarks/registration-profile.md).
  app.use(customerRoutes({ db: deps.db, onEventCommitted: deps.onEventCommitted }));
  app.get("/", (_req, res) => {
    res.json({ service: "e_com-registration-api", version: packageJson.version, environment: deps.appEnv });
  });
  app.use(healthRoutes({ db: deps.db, isShuttingDown, readiness: deps.readiness }));
  app.use(docsRoutes(buildOpenApiDocument(deps.appEnv)));
  app.use(campaignRoutes({ db: deps.db, adminApiKey: deps.adminApiKey }));
  app.use(privacyRoutes({ db: deps.db, adminApiKey: deps.adminApiKey }));
  app.use(broadcastRoutes({ db: deps.db, adminApiKey: deps.adminApiKey, onEventCommitted: deps.onEventCommitted }));
  app.use(suppressionRoutes({ db: deps.db, adminApiKey: deps.adminApiKey }));

  app.use(notFound);
  app.use(limit.conflictSpendsVerifyBudget);
  app.use(errorHandler);
  return app;
}
