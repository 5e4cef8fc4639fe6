import { GuardrailEntity } from '../catalog/entities/guardrail.entity';
import { InventoryLotEntity } from '../catalog/entities/inventory-lot.entity';
import { OverrideEntity } from '../catalog/entities/override.entity';
import { SkuEntity } from '../catalog/entities/sku.entity';
import { StoreEntity } from '../catalog/entities/store.entity';
import { ModelAliasEntity } from '../models/entities/model-alias.entity';
import { ModelVersionEntity } from '../models/entities/model-version.entity';
import { PriceDecisionEntity } from '../pricing/entities/price-decision.entity';
import { PriceRequestEntity } from '../pricing/entities/price-request.entity';
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
];
