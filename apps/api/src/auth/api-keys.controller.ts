import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../common/params';
import { ApiKeysService } from './api-keys.service';
import { CurrentPrincipal } from './current-principal.decorator';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { Permission, RequirePermission } from './permissions';
import type { Principal } from './principal';

@ApiTags('access')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @RequirePermission(Permission.AccessManage)
  @ApiOkResponse({ type: [ApiKeyDto], description: 'Newest first; never the keys themselves.' })
  list(): Promise<ApiKeyDto[]> {
    return this.keys.list();
  }

  @Get(':id')
  @RequirePermission(Permission.AccessManage)
  @ApiOkResponse({ type: ApiKeyDto })
  get(@Param('id', uuidParam()) id: string): Promise<ApiKeyDto> {
    return this.keys.get(id);
  }

  @Post()
  @RequirePermission(Permission.AccessManage)
  @ApiCreatedResponse({ type: CreatedApiKeyDto, description: 'The `key` is in this answer only: store it now.' })
  create(@Body() body: CreateApiKeyDto, @CurrentPrincipal() principal: Principal): Promise<CreatedApiKeyDto> {
    return this.keys.create(body, principal.label);
  }

  @Delete(':id')
  @RequirePermission(Permission.AccessManage)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Revoked: refused from now on (other instances within 10 s). Idempotent.' })
  revoke(@Param('id', uuidParam()) id: string): Promise<void> {
    return this.keys.revoke(id);
  }
}
