import { Router } from "express";
import swaggerUi from "swagger-ui-express";

/** `/openapi.json` and Swagger UI at `/docs`; swagger-ui-express serves its assets itself, so it works offline. */
export function docsRoutes(document: object): Router {
  const router = Router();
  router.get("/openapi.json", (_req, res) => {
    res.json(document);
  });
  router.use("/docs", swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: "e_com API" }));
  return router;
}
