import { ApiProperty } from '@nestjs/swagger';

export const DECISION_REASONS = ['model', 'legacy', 'override', 'guardrail', 'fallback'] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

export class PricedLineDto {
  @ApiProperty() skuCode!: string;
  @ApiProperty({ example: 2.49 }) price!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: 2.99 }) listPrice!: number;
  @ApiProperty({ example: 2.09, description: "The retailer's legacy markdown price for the same stock (the experiments' control)." }) legacyPrice!: number;
  @ApiProperty({ format: 'uuid' }) decisionId!: string;
  @ApiProperty({ example: 'model', description: "Experiment variant, or 'default' outside experiments." }) variant!: string;
  @ApiProperty({ nullable: true, type: String, example: 'm-3f2a9c1b7d4e' }) modelVersion!: string | null;
  @ApiProperty({ enum: DECISION_REASONS }) reason!: DecisionReason;
  @ApiProperty({ nullable: true, type: String, example: 'minMargin', description: 'The guardrail or override that bound the price, if any.' }) boundBy!: string | null;
  @ApiProperty({ description: 'Expected units sold over the pricing horizon at this price.' }) expectedUnits!: number;
  @ApiProperty({ description: 'Expected gross margin after waste over the horizon.' }) expectedMargin!: number;
  @ApiProperty({ format: 'date-time' }) validUntil!: string;
  @ApiProperty({ description: 'True when an earlier decision was reused because nothing that priced it changed.' }) reused!: boolean;
}

export class PriceBasketResponseDto {
  @ApiProperty() requestId!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty({ format: 'date-time' }) pricedAt!: string;
  @ApiProperty({ type: [PricedLineDto] }) items!: PricedLineDto[];
}

export class RepricePageDto {
  @ApiProperty() requestId!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty({ format: 'date-time' }) pricedAt!: string;
  @ApiProperty({ type: [PricedLineDto] }) items!: PricedLineDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `after` for the next page; null on the last page.' }) nextCursor!: string | null;
  @ApiProperty({ description: 'SKUs in the catalog.' }) totalSkus!: number;
}
