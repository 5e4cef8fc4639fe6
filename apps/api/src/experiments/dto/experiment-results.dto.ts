import { ApiProperty } from '@nestjs/swagger';
import type { ExperimentResults } from '@dynaprice/experiments';
import { ExperimentDto, ExperimentFallbackDto } from './experiment.dto';

class PeriodDto {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
}

/** What `/v1/experiments/:id/results` returns: @dynaprice/experiments' results plus the experiment and its windows. */
export type ExperimentResultsDto = ExperimentResults & {
  experiment: ExperimentDto;
  window: { from: string; to: string };
  prePeriod: { from: string; to: string } | null;
  excludedUnits: number;
  fallbacksTriggered: ExperimentFallbackDto[];
};

/** The OpenAPI shape of ExperimentResultsDto (nested statistics described in docs/experiments.md). */
export class ExperimentResultsResponseDto {
  @ApiProperty({ format: 'uuid' }) experimentId!: string;
  @ApiProperty() controlVariant!: string;
  @ApiProperty() alpha!: number;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'Per variant: units, exposures, units sold, revenue, cost of goods, waste cost, gross margin after waste, margin per exposure with its interval.' })
  variants!: unknown[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Sample-ratio-mismatch check (chi-squared against the weights, flagged at p < 0.001).' })
  srm!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'Per treatment: primary metric (plain and CUPED lift, sequential test), Holm-adjusted secondary metrics, guardrails.' })
  comparisons!: unknown[];
  @ApiProperty({ type: 'object', additionalProperties: true }) sequentialStates!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) daily!: unknown[];
  @ApiProperty({ type: [String] }) warnings!: string[];
  @ApiProperty({ type: ExperimentDto }) experiment!: ExperimentDto;
  @ApiProperty({ type: PeriodDto }) window!: PeriodDto;
  @ApiProperty({ type: PeriodDto, nullable: true }) prePeriod!: PeriodDto | null;
  @ApiProperty({ description: 'Units seen but left out: outside the coverage now, or seen only under a variant they no longer have.' }) excludedUnits!: number;
  @ApiProperty({ type: [ExperimentFallbackDto], description: 'Fallbacks this call triggered.' }) fallbacksTriggered!: ExperimentFallbackDto[];
}
