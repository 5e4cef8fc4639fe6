import type { MigrationInterface } from 'typeorm';
import { CreateCatalog1795680539278 } from '../migrations/1795680539278-CreateCatalog';
import { CreateEventsDecisionsModels1795681116983 } from '../migrations/1795681116983-CreateEventsDecisionsModels';
import { AddDecisionStoreDay1795682000081 } from '../migrations/1795682000081-AddDecisionStoreDay';

/** Every migration, in order. Committed migrations are never edited: add a new one. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  CreateCatalog1795680539278,
  CreateEventsDecisionsModels1795681116983,
  AddDecisionStoreDay1795682000081,
];
