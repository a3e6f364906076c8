/**
 * The framework's floor for the registration benchmark: Express 5 with only `express.json()` and
 * the API's one registration statement on a bare `pg` Pool (no validation, logging, rate limits,
 * security headers, Knex or relay). Runs in a process of its own; sends `{ url }` over IPC once
 * listening and exits on "stop".
 */
import { AddressInfo } from "node:net";
import express from "express";
import { Pool } from "pg";
import type { RegistrationRequest } from "../api/src/customers/schema";
import { insertRegistration } from "./registration-statement";

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX) });
  const app = express();
  app.use(express.json({ limit: "16kb" }));
  app.post("/customer-registration", async (req, res) => {
    res.status(201).json(await insertRegistration(pool, req.body as RegistrationRequest));
  });
  const server = app.listen(0, "127.0.0.1", () => {
    process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  process.once("message", () => {
    server.close(() => pool.end().then(() => process.disconnect()));
    server.closeAllConnections();
  });
}

main().catch((err) => {
  process.stderr.write(`bare Express failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
