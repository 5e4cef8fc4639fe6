import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { databaseMode } from './database/data-source-options';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`dynaprice-api: invalid configuration: ${error.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  const where = databaseMode(config) === 'embedded' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL';
  console.error(`dynaprice-api listening on ${url} (database: ${where}); API docs at ${url}/docs`);
}

main().catch((error: unknown) => {
  console.error(`dynaprice-api: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
