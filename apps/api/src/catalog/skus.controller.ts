import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BulkUpsertResultDto, PageOf, type Page } from '../common/dto/page.dto';
import { BulkSkusDto, SkuDto, SkuListQueryDto, UpdateSkuDto, UpsertSkuDto } from './dto/sku.dto';
import { SkusService } from './skus.service';
import { Permission, RequirePermission } from '../auth/permissions';

@ApiTags('catalog')
@Controller('v1/skus')
export class SkusController {
  constructor(private readonly skus: SkusService) {}

  @Get()
  @RequirePermission(Permission.CatalogRead)
  @ApiOkResponse({ type: PageOf(SkuDto) })
  list(@Query() query: SkuListQueryDto): Promise<Page<SkuDto>> {
    return this.skus.list(query);
  }

  @Get(':code')
  @RequirePermission(Permission.CatalogRead)
  @ApiOkResponse({ type: SkuDto })
  get(@Param('code') code: string): Promise<SkuDto> {
    return this.skus.get(code);
  }

  @Post()
  @RequirePermission(Permission.CatalogWrite)
  @ApiCreatedResponse({ type: SkuDto })
  create(@Body() body: UpsertSkuDto): Promise<SkuDto> {
    return this.skus.create(body);
  }

  @Post('bulk')
  @RequirePermission(Permission.CatalogWrite)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: BulkUpsertResultDto, description: 'All rows written in one transaction, or none (400 naming the row and field).' })
  bulkUpsert(@Body() body: BulkSkusDto): Promise<BulkUpsertResultDto> {
    return this.skus.bulkUpsert(body);
  }

  @Patch(':code')
  @RequirePermission(Permission.CatalogWrite)
  @ApiOkResponse({ type: SkuDto })
  update(@Param('code') code: string, @Body() body: UpdateSkuDto): Promise<SkuDto> {
    return this.skus.update(code, body);
  }

  @Delete(':code')
  @RequirePermission(Permission.CatalogWrite)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted. 409 while lots or overrides still refer to it.' })
  remove(@Param('code') code: string): Promise<void> {
    return this.skus.remove(code);
  }
}
