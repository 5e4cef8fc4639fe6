import { AuditLogEntity } from '../audit/entities/audit-log.entity';
import { ApiKeyEntity } from '../auth/entities/api-key.entity';
import { AuthSessionEntity } from '../auth/entities/auth-session.entity';
import { UserEntity } from '../auth/entities/user.entity';
import { GuardrailEntity } from '../catalog/entities/guardrail.entity';
import { InventoryLotEntity } from '../catalog/entities/inventory-lot.entity';
import { OverrideEntity } from '../catalog/entities/override.entity';
import { SkuEntity } from '../catalog/entities/sku.entity';
import { StoreEntity } from '../catalog/entities/store.entity';
import { ExperimentHistoryEntity } from '../experiments/entities/experiment-history.entity';
import { ExperimentEntity } from '../experiments/entities/experiment.entity';
import { ExplanationBackgroundEntity } from '../fairness/entities/explanation-background.entity';
import { FairnessAuditEntity } from '../fairness/entities/fairness-audit.entity';
import { FairnessScheduleEntity } from '../fairness/entities/fairness-schedule.entity';
import { ModelAliasEntity } from '../models/entities/model-alias.entity';
import { ModelAliasEventEntity } from '../models/entities/model-alias-event.entity';
import { ModelDriftEventEntity } from '../models/entities/model-drift-event.entity';
import { ModelRetrainingRunEntity } from '../models/entities/model-retraining-run.entity';
import { ModelVersionEntity } from '../models/entities/model-version.entity';
import { PriceDecisionEntity } from '../pricing/entities/price-decision.entity';
import { PriceRequestEntity } from '../pricing/entities/price-request.entity';
import { CostEntryEntity } from '../roi/entities/cost-entry.entity';
import { RoiOutcomeEntity } from '../roi/entities/roi-outcome.entity';
import { SaleEntity } from '../sales/entities/sale.entity';
import { WasteEventEntity } from '../sales/entities/waste-event.entity';

/** Every TypeORM entity of the API, listed once. */
export const ENTITIES = [
  StoreEntity,
  SkuEntity,
  InventoryLotEntity,
  GuardrailEntity,
  OverrideEntity,
  SaleEntity,
  WasteEventEntity,
  PriceDecisionEntity,
  PriceRequestEntity,
  ModelVersionEntity,
  ModelAliasEntity,
  ModelAliasEventEntity,
  ModelRetrainingRunEntity,
  ModelDriftEventEntity,
  UserEntity,
  AuthSessionEntity,
  ApiKeyEntity,
  AuditLogEntity,
  ExperimentEntity,
  ExperimentHistoryEntity,
  CostEntryEntity,
  RoiOutcomeEntity,
  FairnessAuditEntity,
  FairnessScheduleEntity,
  ExplanationBackgroundEntity,
];
