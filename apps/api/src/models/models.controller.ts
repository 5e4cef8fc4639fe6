import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res, StreamableFile, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-fastify/multipart';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Permission, RequirePermission } from '../auth/permissions';
import { currentCaller } from '../common/caller';
import { PageQueryDto } from '../common/dto/page.dto';
import { uuidParam } from '../common/params';
import { AliasHistoryQueryDto, PromoteModelDto, RetrainingListQueryDto, RetrainRequestDto, RollbackModelDto, UploadModelDto } from './dto/models.request.dto';
import { AliasChangeDto, AliasDto, AliasEventDto, ModelDriftDto, ModelVersionDto, ModelVersionPageDto, RetrainingRunDto, UploadedModelDto } from './dto/models.response.dto';
import { ModelAliasPipe } from './model-alias.pipe';
import type { ModelAlias } from './model-registry.service';
import { ModelsService, type UploadParts } from './models.service';
import { UploadLimitInterceptor } from './upload-limit.interceptor';

@ApiTags('models')
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Get()
  @RequirePermission(Permission.ModelsRead)
  @ApiOkResponse({ type: ModelVersionPageDto, description: 'Every version, newest first, with the aliases pointing at it.' })
  list(@Query() query: PageQueryDto): Promise<ModelVersionPageDto> {
    return this.models.list(query.limit, query.offset);
  }

  @Post()
  @RequirePermission(Permission.ModelsWrite)
  @UseInterceptors(UploadLimitInterceptor, FileFieldsInterceptor([{ name: 'model', maxCount: 1 }, { name: 'card', maxCount: 1 }]))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['model'],
      properties: {
        model: { type: 'string', format: 'binary', description: 'The ONNX file (one TreeEnsembleRegressor and element-wise steps; input float32 [N, features]).' },
        card: { type: 'string', description: 'Model card JSON (file or text); optional when embedded in the ONNX metadata dynaprice.model_card.' },
      },
    },
  })
  @ApiCreatedResponse({ type: UploadedModelDto, description: 'A new version. 200 with the existing version when these bytes were uploaded before; 400 naming the part and feature; 413 over MODEL_MAX_BYTES. Nothing is stored unless valid.' })
  async upload(@UploadedFiles() parts: UploadParts | undefined, @Body() body: UploadModelDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<UploadedModelDto> {
    const uploaded = await this.models.upload(parts, body, currentCaller());
    void reply.status(uploaded.created ? HttpStatus.CREATED : HttpStatus.OK);
    return uploaded;
  }

  @Get('aliases')
  @RequirePermission(Permission.ModelsRead)
  @ApiOkResponse({ type: [AliasDto] })
  aliases(): Promise<AliasDto[]> {
    return this.models.aliases();
  }

  @Get('aliases/history')
  @RequirePermission(Permission.ModelsRead)
  @ApiOkResponse({ type: [AliasEventDto], description: 'Every promotion and rollback, newest first: who, why, from which version to which.' })
  aliasHistory(@Query() query: AliasHistoryQueryDto): Promise<AliasEventDto[]> {
    return this.models.aliasHistory(query.alias, query.limit);
  }

  @Post('aliases/:alias/rollback')
  @HttpCode(HttpStatus.OK)
  @RequirePermission(Permission.ModelsPromote)
  @ApiOkResponse({ type: AliasChangeDto, description: 'The alias serves the version it served before its latest promotion (call again to go further back); 422 when there is none.' })
  rollback(@Param('alias', ModelAliasPipe) alias: ModelAlias, @Body() body: RollbackModelDto): Promise<AliasChangeDto> {
    return this.models.rollback(alias, body.reason, currentCaller());
  }

  @Get('retraining')
  @RequirePermission(Permission.ModelsRead)
  @ApiOkResponse({ type: [RetrainingRunDto], description: 'Retraining runs, newest first.' })
  retrainingRuns(@Query() query: RetrainingListQueryDto): Promise<RetrainingRunDto[]> {
    return this.models.retrainingRuns(query.limit);
  }

  @Post('retraining')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequirePermission(Permission.ModelsWrite)
  @ApiAcceptedResponse({ type: RetrainingRunDto, description: 'Queued; one API instance trains on the decision history and makes the result the challenger.' })
  retrain(@Body() body: RetrainRequestDto): Promise<RetrainingRunDto> {
    return this.models.retrain(body.reason, currentCaller());
  }

  @Get('retraining/:id')
  @RequirePermission(Permission.ModelsRead)
  @ApiOkResponse({ type: RetrainingRunDto })
  retrainingRun(@Param('id', uuidParam()) id: string): Promise<RetrainingRunDto> {
    return this.models.retrainingRun(id);
  }

  @Get(':id')
  @RequirePermission(Permission.ModelsRead)
  @ApiOkResponse({ type: ModelVersionDto })
  get(@Param('id') id: string): Promise<ModelVersionDto> {
    return this.models.get(id);
  }

  @Get(':id/card')
  @RequirePermission(Permission.ModelsRead)
  @ApiOkResponse({ description: 'The model card as stored (with the artifact’s sha256).' })
  card(@Param('id') id: string): Promise<Record<string, unknown>> {
    return this.models.card(id);
  }

  @Get(':id/artifact')
  @RequirePermission(Permission.ModelsRead)
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The ONNX bytes; ETag and X-Model-Sha256 carry their SHA-256.' })
  async artifact(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const artifact = await this.models.artifact(id);
    void reply.header('etag', `"${artifact.sha256}"`).header('x-model-sha256', artifact.sha256).header('cache-control', 'private, max-age=31536000, immutable');
    return new StreamableFile(artifact.bytes, { type: 'application/octet-stream', disposition: `attachment; filename="${artifact.filename}"`, length: artifact.bytes.byteLength });
  }

  @Post(':id/promote')
  @HttpCode(HttpStatus.OK)
  @RequirePermission(Permission.ModelsPromote)
  @ApiOkResponse({ type: AliasChangeDto, description: 'The alias (default champion) serves this version once the call returns; recorded with who and why.' })
  promote(@Param('id') id: string, @Body() body: PromoteModelDto): Promise<AliasChangeDto> {
    return this.models.promote(id, body.alias, body.reason, currentCaller());
  }

  @Get(':id/drift')
  @RequirePermission(Permission.ModelsRead)
  @ApiOkResponse({ type: ModelDriftDto, description: 'PSI and KS per feature of the live rows this version priced (rolling window of this instance) against the card’s reference distributions.' })
  drift(@Param('id') id: string): Promise<ModelDriftDto> {
    return this.models.driftOf(id);
  }
}
