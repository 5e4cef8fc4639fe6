import type { MigrationInterface } from 'typeorm';
import { CreateCatalog1795680539278 } from '../migrations/1795680539278-CreateCatalog';
import { CreateEventsDecisionsModels1795681116983 } from '../migrations/1795681116983-CreateEventsDecisionsModels';
import { AddDecisionStoreDay1795682000081 } from '../migrations/1795682000081-AddDecisionStoreDay';
import { ModelLifecycle1795684431369 } from '../migrations/1795684431369-ModelLifecycle';
import { AccessAndAudit1795684531807 } from '../migrations/1795684531807-AccessAndAudit';
import { ExperimentsRoi1795684789921 } from '../migrations/1795684789921-ExperimentsRoi';
import { FairnessAudits1795686403519 } from '../migrations/1795686403519-FairnessAudits';
import { AuditLinksPriceRequest1795767076086 } from '../migrations/1795767076086-AuditLinksPriceRequest';

/** Every migration, in order. Committed migrations are never edited: add a new one. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  CreateCatalog1795680539278,
  CreateEventsDecisionsModels1795681116983,
  AddDecisionStoreDay1795682000081,
  ModelLifecycle1795684431369,
  AccessAndAudit1795684531807,
  ExperimentsRoi1795684789921,
  FairnessAudits1795686403519,
  AuditLinksPriceRequest1795767076086,
];
