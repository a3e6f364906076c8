/**
 * For tests that need the process's environment as a task or a function gets it (the AWS SDK and
 * the config loaders read it themselves): sets the variables and returns what puts the environment
 * back as it was, variables set since included, so no other suite meets them.
 */
export function setEnvironment(variables: Record<string, string>): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, variables);
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}
