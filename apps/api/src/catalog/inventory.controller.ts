import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../common/params';
import { BulkUpsertResultDto, PageOf, type Page } from '../common/dto/page.dto';
import { BulkInventoryDto, InventoryListQueryDto, InventoryLotDto, UpdateInventoryLotDto, UpsertInventoryLotDto } from './dto/inventory.dto';
import { InventoryService } from './inventory.service';

@ApiTags('catalog')
@Controller('v1/inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get()
  @ApiOkResponse({ type: PageOf(InventoryLotDto) })
  list(@Query() query: InventoryListQueryDto): Promise<Page<InventoryLotDto>> {
    return this.inventory.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: InventoryLotDto })
  get(@Param('id', uuidParam()) id: string): Promise<InventoryLotDto> {
    return this.inventory.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: InventoryLotDto })
  create(@Body() body: UpsertInventoryLotDto): Promise<InventoryLotDto> {
    return this.inventory.create(body);
  }

  @Post('bulk')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: BulkUpsertResultDto, description: 'All lots written in one transaction, or none (400 naming the row and field).' })
  bulkUpsert(@Body() body: BulkInventoryDto): Promise<BulkUpsertResultDto> {
    return this.inventory.bulkUpsert(body);
  }

  @Patch(':id')
  @ApiOkResponse({ type: InventoryLotDto })
  update(@Param('id', uuidParam()) id: string, @Body() body: UpdateInventoryLotDto): Promise<InventoryLotDto> {
    return this.inventory.update(id, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  remove(@Param('id', uuidParam()) id: string): Promise<void> {
    return this.inventory.remove(id);
  }
}
