/** Mocha root hooks (loaded through .mocharc.json): shared test infrastructure is torn down once, at the end. */
import { stopTestPostgres } from "./test-database";

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopTestPostgres();
  },
};
