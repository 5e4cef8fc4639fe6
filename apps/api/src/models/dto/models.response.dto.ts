import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../common/dto/page.dto';
import { MODEL_ALIASES } from '../model-registry.service';

export class ModelFeatureDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['numeric', 'categorical'], nullable: true, type: String }) type!: string | null;
}

export class ModelVersionDto {
  @ApiProperty({ example: 'm-3f2a9c1b0d4e', description: '`m-` and the first 12 hex digits of the artifact’s SHA-256.' }) id!: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the ONNX bytes.' }) sha256!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ enum: ['trainer', 'upload'] }) source!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'The card’s name.' }) name!: string;
  @ApiProperty({ type: [ModelFeatureDto] }) features!: ModelFeatureDto[];
  @ApiProperty({ type: [String], enum: MODEL_ALIASES, description: 'Aliases pointing at this version now.' }) aliases!: string[];
  @ApiProperty({ nullable: true, type: Object, description: 'The card’s training window and rows.' }) trainingData!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Object, description: 'The card’s metrics on the validation split.' }) validation!: Record<string, unknown> | null;
  @ApiProperty({ description: '`database`, or the file:// / s3:// URI of the artifact.' }) artifactLocation!: string;
}

export class ModelVersionPageDto extends PageOf(ModelVersionDto) {}

export class UploadedModelDto extends ModelVersionDto {
  @ApiProperty({ description: 'false: these bytes were already a version (returned unchanged, HTTP 200).' }) created!: boolean;
  @ApiProperty({ description: 'The card came from the ONNX metadata rather than the upload.' }) cardEmbedded!: boolean;
}

export class AliasDto {
  @ApiProperty({ enum: MODEL_ALIASES }) alias!: string;
  @ApiProperty() modelVersionId!: string;
  @ApiProperty() updatedBy!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class AliasEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: MODEL_ALIASES }) alias!: string;
  @ApiProperty({ enum: ['promote', 'rollback'] }) action!: string;
  @ApiProperty({ nullable: true, type: String }) fromVersionId!: string | null;
  @ApiProperty() toVersionId!: string;
  @ApiProperty() actor!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class AliasChangeDto {
  @ApiProperty({ type: AliasDto }) alias!: AliasDto;
  @ApiProperty({ type: AliasEventDto, nullable: true, description: 'null: the alias already pointed at that version (nothing changed).' }) event!: AliasEventDto | null;
}

export class DriftFeatureDto {
  @ApiProperty() feature!: string;
  @ApiProperty({ enum: ['numeric', 'categorical'] }) kind!: string;
  @ApiProperty({ enum: ['ok', 'warn', 'drifted', 'insufficient-data'] }) status!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Population stability index against the card’s reference.' }) psi!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Binned Kolmogorov–Smirnov statistic (numeric features).' }) ks!: number | null;
  @ApiProperty() liveRows!: number;
  @ApiProperty({ nullable: true, type: Number }) liveMissingShare!: number | null;
  @ApiProperty() referenceMissingShare!: number;
}

export class DriftEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) detectedAt!: string;
  @ApiProperty({ type: Object, isArray: true }) drifted!: Array<{ feature: string; psi: number; ks: number | null }>;
  @ApiProperty() liveRows!: number;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) retrainingRunId!: string | null;
}

export class DriftWindowDto {
  @ApiProperty() hours!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) from!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) to!: string | null;
  @ApiProperty() rows!: number;
}

export class DriftThresholdsDto {
  @ApiProperty() psiDrift!: number;
  @ApiProperty() psiWarn!: number;
  @ApiProperty() minRows!: number;
}

export class ModelDriftDto {
  @ApiProperty() modelVersion!: string;
  @ApiProperty({ description: 'This instance summarises live rows of this version.' }) monitored!: boolean;
  @ApiProperty({ enum: ['ok', 'warn', 'drifted', 'insufficient-data', 'unavailable'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) detail!: string | null;
  @ApiProperty({ type: DriftWindowDto }) window!: DriftWindowDto;
  @ApiProperty({ type: DriftThresholdsDto }) thresholds!: DriftThresholdsDto;
  @ApiProperty({ type: [DriftFeatureDto] }) features!: DriftFeatureDto[];
  @ApiProperty({ type: [String] }) drifted!: string[];
  @ApiProperty({ type: [String] }) warned!: string[];
  @ApiProperty({ type: [DriftEventDto] }) events!: DriftEventDto[];
}

export class RetrainingRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() runKey!: string;
  @ApiProperty({ enum: ['nightly', 'drift', 'manual'] }) trigger!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) instance!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The version it produced (the new challenger).' }) modelVersionId!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: Object }) detail!: Record<string, unknown> | null;
}
