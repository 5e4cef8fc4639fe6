import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../common/params';
import { BulkUpsertResultDto, PageOf, type Page } from '../common/dto/page.dto';
import { BulkInventoryDto, InventoryListQueryDto, InventoryLotDto, UpdateInventoryLotDto, UpsertInventoryLotDto } from './dto/inventory.dto';
import { InventoryService } from './inventory.service';
import { Permission, RequirePermission } from '../auth/permissions';

@ApiTags('catalog')
@Controller('v1/inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get()
  @RequirePermission(Permission.CatalogRead)
  @ApiOkResponse({ type: PageOf(InventoryLotDto) })
  list(@Query() query: InventoryListQueryDto): Promise<Page<InventoryLotDto>> {
    return this.inventory.list(query);
  }

  @Get(':id')
  @RequirePermission(Permission.CatalogRead)
  @ApiOkResponse({ type: InventoryLotDto })
  get(@Param('id', uuidParam()) id: string): Promise<InventoryLotDto> {
    return this.inventory.get(id);
  }

  @Post()
  @RequirePermission(Permission.InventoryWrite, { stores: 'body.storeId' })
  @ApiCreatedResponse({ type: InventoryLotDto })
  create(@Body() body: UpsertInventoryLotDto): Promise<InventoryLotDto> {
    return this.inventory.create(body);
  }

  @Post('bulk')
  @RequirePermission(Permission.InventoryWrite, { stores: 'body.items[].storeId' })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: BulkUpsertResultDto, description: 'All lots written in one transaction, or none (400 naming the row and field).' })
  bulkUpsert(@Body() body: BulkInventoryDto): Promise<BulkUpsertResultDto> {
    return this.inventory.bulkUpsert(body);
  }

  @Patch(':id')
  @RequirePermission(Permission.InventoryWrite)
  @ApiOkResponse({ type: InventoryLotDto })
  update(@Param('id', uuidParam()) id: string, @Body() body: UpdateInventoryLotDto): Promise<InventoryLotDto> {
    return this.inventory.update(id, body);
  }

  @Delete(':id')
  @RequirePermission(Permission.InventoryWrite)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  remove(@Param('id', uuidParam()) id: string): Promise<void> {
    return this.inventory.remove(id);
  }
}
