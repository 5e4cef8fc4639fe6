import type { MigrationInterface } from 'typeorm';
import { CreateCatalog1795680539278 } from '../migrations/1795680539278-CreateCatalog';

/** Every migration, in order. Committed migrations are never edited: add a new one. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [CreateCatalog1795680539278];
