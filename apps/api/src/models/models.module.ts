import { Module } from '@nestjs/common';
import { MultipartModule } from '@nestjs/platform-fastify/multipart';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ARTIFACT_STORE, createArtifactStore } from './artifact-store';
import { DriftMonitor } from './drift-monitor';
import { MAX_CARD_BYTES } from './model-validation';
import { ModelRegistry } from './model-registry.service';
import { ModelsController } from './models.controller';
import { ModelsService } from './models.service';
import { RetrainingService } from './retraining.service';
import { ServedModels } from './served-models';
import { TrainingRunner } from './training-runner';
import { UploadLimitInterceptor } from './upload-limit.interceptor';

/**
 * Model versions (immutable, in the configured artifact store), champion / challenger aliases with their
 * history, the sessions that serve prices, drift of live features, and retraining.
 */
@Module({
  imports: [
    MultipartModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        limits: { fileSize: config.models.maxUploadBytes, files: 2, fields: 2, parts: 4, fieldSize: MAX_CARD_BYTES, jsonFieldsSize: MAX_CARD_BYTES },
      }),
    }),
  ],
  controllers: [ModelsController],
  providers: [
    { provide: ARTIFACT_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createArtifactStore(config.models) },
    { provide: TrainingRunner, useFactory: () => new TrainingRunner() },
    ModelRegistry,
    ServedModels,
    RetrainingService,
    DriftMonitor,
    ModelsService,
    UploadLimitInterceptor,
  ],
  exports: [ModelRegistry, ServedModels, DriftMonitor, RetrainingService],
})
export class ModelsModule {}
