import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MODEL_ALIASES, type ModelAlias } from '../model-registry.service';

/** Text fields of the multipart upload (the ONNX file is the part `model`). */
export class UploadModelDto {
  @ApiProperty({
    required: false,
    description: 'The model card as JSON text, when not sent as a file part `card` and not embedded in the ONNX metadata (dynaprice.model_card).',
  })
  @Allow()
  card?: unknown;
}

export class PromoteModelDto {
  @ApiProperty({ enum: MODEL_ALIASES, default: 'champion', required: false })
  @IsOptional()
  @IsIn(MODEL_ALIASES)
  alias: ModelAlias = 'champion';

  @ApiProperty({ example: 'won the March A/B test: +14 % gross margin', minLength: 3, maxLength: 500 })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class RollbackModelDto {
  @ApiProperty({ example: 'waste up 20 % since the promotion', minLength: 3, maxLength: 500 })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class RetrainRequestDto {
  @ApiProperty({ example: 'new stores onboarded', minLength: 3, maxLength: 500 })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class AliasHistoryQueryDto {
  @ApiProperty({ required: false, enum: MODEL_ALIASES })
  @IsOptional()
  @IsIn(MODEL_ALIASES)
  alias?: ModelAlias;

  @ApiProperty({ required: false, minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;
}

export class RetrainingListQueryDto {
  @ApiProperty({ required: false, minimum: 1, maximum: 1000, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 50;
}
