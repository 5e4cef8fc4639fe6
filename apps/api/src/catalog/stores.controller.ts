import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageOf, type Page } from '../common/dto/page.dto';
import { CreateStoreDto, StoreDto, StoreListQueryDto, UpdateStoreDto } from './dto/store.dto';
import { StoresService } from './stores.service';
import { Permission, RequirePermission } from '../auth/permissions';

@ApiTags('catalog')
@Controller('v1/stores')
export class StoresController {
  constructor(private readonly stores: StoresService) {}

  @Get()
  @RequirePermission(Permission.CatalogRead)
  @ApiOkResponse({ type: PageOf(StoreDto) })
  list(@Query() query: StoreListQueryDto): Promise<Page<StoreDto>> {
    return this.stores.list(query);
  }

  @Get(':id')
  @RequirePermission(Permission.CatalogRead)
  @ApiOkResponse({ type: StoreDto })
  get(@Param('id') id: string): Promise<StoreDto> {
    return this.stores.get(id);
  }

  @Post()
  @RequirePermission(Permission.CatalogWrite)
  @ApiCreatedResponse({ type: StoreDto })
  create(@Body() body: CreateStoreDto): Promise<StoreDto> {
    return this.stores.create(body);
  }

  @Patch(':id')
  @RequirePermission(Permission.CatalogWrite)
  @ApiOkResponse({ type: StoreDto })
  update(@Param('id') id: string, @Body() body: UpdateStoreDto): Promise<StoreDto> {
    return this.stores.update(id, body);
  }

  @Delete(':id')
  @RequirePermission(Permission.CatalogWrite)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted. 409 while lots or overrides still refer to it.' })
  remove(@Param('id') id: string): Promise<void> {
    return this.stores.remove(id);
  }
}
