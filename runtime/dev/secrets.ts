// Secrets for `${secret.NAME}`: environment variables `WEIR_SECRET_<NAME>` of the worker. They exist only
// in worker memory: never in workflow history, the plan, events or API responses (redacted where used).
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('WEIR_SECRET_') && value !== undefined && key.length > 'WEIR_SECRET_'.length) out[key.slice('WEIR_SECRET_'.length)] = value;
  }
  return out;
}

/** The environment steps may read through `${env.X}`: the worker's, minus the secrets. */
export function publicEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) if (!key.startsWith('WEIR_SECRET_') && key !== 'DATABASE_URL') out[key] = value;
  return out;
}
