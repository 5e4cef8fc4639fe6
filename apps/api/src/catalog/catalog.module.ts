import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogChanges } from './catalog-changes';
import { CatalogHistory } from './catalog-history';
import { GuardrailEntity } from './entities/guardrail.entity';
import { InventoryLotEntity } from './entities/inventory-lot.entity';
import { OverrideEntity } from './entities/override.entity';
import { SkuEntity } from './entities/sku.entity';
import { StoreEntity } from './entities/store.entity';
import { GuardrailsController } from './guardrails.controller';
import { GuardrailsService } from './guardrails.service';
import { InventoryController } from './inventory.controller';
import { InventoryService } from './inventory.service';
import { OverridesController } from './overrides.controller';
import { OverridesService } from './overrides.service';
import { SkusController } from './skus.controller';
import { SkusService } from './skus.service';
import { StoresController } from './stores.controller';
import { StoresService } from './stores.service';

/** Stores, SKUs, inventory lots, guardrails and overrides: what pricing reads. */
@Module({
  imports: [TypeOrmModule.forFeature([StoreEntity, SkuEntity, InventoryLotEntity, GuardrailEntity, OverrideEntity])],
  controllers: [StoresController, SkusController, InventoryController, GuardrailsController, OverridesController],
  providers: [CatalogChanges, CatalogHistory, StoresService, SkusService, InventoryService, GuardrailsService, OverridesService],
  exports: [CatalogChanges, TypeOrmModule],
})
export class CatalogModule {}
