/**
 * Preloaded into an API process (`spawnApi(env, { preload: [...] })`): SIGUSR2 throws an error
 * nothing catches, as a bug in a callback would, so a test can watch the process crash.
 */
process.on("SIGUSR2", () => {
  throw new Error("a bug nobody caught");
});
