import { GuardrailEntity } from '../catalog/entities/guardrail.entity';
import { InventoryLotEntity } from '../catalog/entities/inventory-lot.entity';
import { OverrideEntity } from '../catalog/entities/override.entity';
import { SkuEntity } from '../catalog/entities/sku.entity';
import { StoreEntity } from '../catalog/entities/store.entity';

/** Every TypeORM entity of the API, listed once. */
export const ENTITIES = [StoreEntity, SkuEntity, InventoryLotEntity, GuardrailEntity, OverrideEntity];
