import { Module } from '@nestjs/common';
import { ModelRegistry } from './model-registry.service';
import { ServedModels } from './served-models';

/** Model versions, aliases, training from history, and the sessions that serve prices. */
@Module({
  providers: [ModelRegistry, ServedModels],
  exports: [ModelRegistry, ServedModels],
})
export class ModelsModule {}
