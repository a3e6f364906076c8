/**
 * Builds the Express app from its dependencies. main.ts and the tests build it the same way, so
 * what the tests exercise is what runs in production.
 */
import express from "express";
import helmet from "helmet";
import { Knex } from "knex";
import { Logger } from "../../shared/src/logger";
import { customerRoutes } from "./customers/routes";
import { docsRoutes } from "./http/docs";
import { errorHandler, notFound, requireJsonBody } from "./http/error-handler";
import { healthRoutes } from "./http/health";
import { buildOpenApiDocument } from "./http/openapi-document";
import { requestLogging } from "./http/request-logging";
import packageJson from "../../package.json";

export interface AppDependencies {
  db: Knex;
  logger: Logger;
  appEnv: string;
  /** Readiness answers 503 once this turns true, so the load balancer drains the task. */
  isShuttingDown?: () => boolean;
}

export const BODY_LIMIT = "16kb";

export function buildApp(deps: AppDependencies): express.Express {
  const isShuttingDown = deps.isShuttingDown ?? (() => false);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", 1); // exactly one hop: the Application Load Balancer

  app.use(requestLogging(deps.logger));
  app.use((_req, res, next) => {
    if (isShuttingDown()) res.setHeader("Connection", "close"); // keep-alive clients reconnect elsewhere
    next();
  });
  app.use(helmet());
  app.use(requireJsonBody);
  app.use(express.json({ limit: BODY_LIMIT }));

  app.get("/", (_req, res) => {
    res.json({ service: "e_com-registration-api", version: packageJson.version, environment: deps.appEnv });
  });
  app.use(healthRoutes({ db: deps.db, isShuttingDown }));
  app.use(docsRoutes(buildOpenApiDocument(deps.appEnv)));
  app.use(customerRoutes({ db: deps.db }));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
