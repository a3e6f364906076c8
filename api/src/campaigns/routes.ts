import { Router } from "express";
import { Knex } from "knex";
import { requireApiKey } from "../http/require-api-key";
import { validate } from "../http/validate";
import { toCampaignResponse } from "./campaign-response";
import { campaignNotFound, changeCampaign } from "./change-campaign";
import { deleteCampaign, findCampaign, insertCampaign, listCampaigns } from "./repository";
import { campaignPathSchema, createCampaignSchema, listCampaignsSchema, updateCampaignSchema } from "./schema";

/** Admin management of campaigns; every route requires the admin API key. */
export function campaignRoutes(deps: { db: Knex; adminApiKey: string; now?: () => Date }): Router {
  const now = deps.now ?? (() => new Date());
  const router = Router();
  router.use("/campaigns", requireApiKey(deps.adminApiKey));

  const campaignId = (params: unknown): string => validate(campaignPathSchema, params, "path").id;

  router.post("/campaigns", async (req, res) => {
    const fields = validate(createCampaignSchema, req.body);
    res.status(201).json(toCampaignResponse(await insertCampaign(deps.db, fields), now()));
  });

  router.get("/campaigns", async (req, res) => {
    const filter = validate(listCampaignsSchema, req.query, "query");
    const at = now();
    const campaigns = await listCampaigns(deps.db, filter, at);
    res.json({ campaigns: campaigns.map((c) => toCampaignResponse(c, at)) });
  });

  router.get("/campaigns/:id", async (req, res) => {
    const campaign = await findCampaign(deps.db, campaignId(req.params));
    if (!campaign) throw campaignNotFound(req.params.id);
    res.json(toCampaignResponse(campaign, now()));
  });

  router.patch("/campaigns/:id", async (req, res) => {
    const id = campaignId(req.params);
    const changes = validate(updateCampaignSchema, req.body);
    res.json(toCampaignResponse(await changeCampaign(deps.db, id, changes), now()));
  });

  router.delete("/campaigns/:id", async (req, res) => {
    if (!(await deleteCampaign(deps.db, campaignId(req.params)))) throw campaignNotFound(req.params.id);
    res.status(204).end();
  });

  return router;
}
