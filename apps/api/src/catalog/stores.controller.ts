import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageOf, type Page } from '../common/dto/page.dto';
import { CreateStoreDto, StoreDto, StoreListQueryDto, UpdateStoreDto } from './dto/store.dto';
import { StoresService } from './stores.service';

@ApiTags('catalog')
@Controller('v1/stores')
export class StoresController {
  constructor(private readonly stores: StoresService) {}

  @Get()
  @ApiOkResponse({ type: PageOf(StoreDto) })
  list(@Query() query: StoreListQueryDto): Promise<Page<StoreDto>> {
    return this.stores.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: StoreDto })
  get(@Param('id') id: string): Promise<StoreDto> {
    return this.stores.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: StoreDto })
  create(@Body() body: CreateStoreDto): Promise<StoreDto> {
    return this.stores.create(body);
  }

  @Patch(':id')
  @ApiOkResponse({ type: StoreDto })
  update(@Param('id') id: string, @Body() body: UpdateStoreDto): Promise<StoreDto> {
    return this.stores.update(id, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted. 409 while lots or overrides still refer to it.' })
  remove(@Param('id') id: string): Promise<void> {
    return this.stores.remove(id);
  }
}
