import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageOf, type Page } from '../common/dto/page.dto';
import { uuidParam } from '../common/params';
import { CreateOverrideDto, OverrideDto, OverrideListQueryDto, UpdateOverrideDto } from './dto/override.dto';
import { OverridesService } from './overrides.service';
import { Permission, RequirePermission } from '../auth/permissions';

@ApiTags('catalog')
@Controller('v1/overrides')
export class OverridesController {
  constructor(private readonly overrides: OverridesService) {}

  @Get()
  @RequirePermission(Permission.CatalogRead)
  @ApiOkResponse({ type: PageOf(OverrideDto) })
  list(@Query() query: OverrideListQueryDto): Promise<Page<OverrideDto>> {
    return this.overrides.list(query);
  }

  @Get(':id')
  @RequirePermission(Permission.CatalogRead)
  @ApiOkResponse({ type: OverrideDto })
  get(@Param('id', uuidParam()) id: string): Promise<OverrideDto> {
    return this.overrides.get(id);
  }

  @Post()
  @RequirePermission(Permission.OverridesWrite, { stores: 'body.storeId' })
  @ApiCreatedResponse({ type: OverrideDto })
  create(@Body() body: CreateOverrideDto): Promise<OverrideDto> {
    return this.overrides.create(body);
  }

  @Patch(':id')
  @RequirePermission(Permission.OverridesWrite)
  @ApiOkResponse({ type: OverrideDto })
  update(@Param('id', uuidParam()) id: string, @Body() body: UpdateOverrideDto): Promise<OverrideDto> {
    return this.overrides.update(id, body);
  }

  @Delete(':id')
  @RequirePermission(Permission.OverridesWrite)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Cancels the override now; it stays on record.' })
  cancel(@Param('id', uuidParam()) id: string): Promise<void> {
    return this.overrides.cancel(id);
  }
}
