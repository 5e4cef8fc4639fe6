import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 1000;

/** `?limit=&offset=` of every list endpoint. */
export class PageQueryDto {
  @ApiProperty({ required: false, minimum: 1, maximum: MAX_PAGE_SIZE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 100;

  @ApiProperty({ required: false, minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Swagger schema of a page of `itemType`. */
export function PageOf<T>(itemType: new () => T): new () => Page<T> {
  class PageDto implements Page<T> {
    @ApiProperty({ type: [itemType] })
    items!: T[];

    @ApiProperty({ description: 'Rows matching the filters, over all pages.' })
    total!: number;

    @ApiProperty()
    limit!: number;

    @ApiProperty()
    offset!: number;
  }
  Object.defineProperty(PageDto, 'name', { value: `${itemType.name.replace(/Dto$/, '')}PageDto` });
  return PageDto;
}

export class BulkUpsertResultDto {
  @ApiProperty({ description: 'Rows in the batch.' })
  received!: number;

  @ApiProperty({ description: 'Rows that did not exist before.' })
  inserted!: number;

  @ApiProperty({ description: 'Rows that existed and were replaced.' })
  updated!: number;
}
