import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../common/params';
import { CreateGuardrailDto, GuardrailDto, GuardrailListQueryDto, UpdateGuardrailDto } from './dto/guardrail.dto';
import { GuardrailsService } from './guardrails.service';
import { Permission, RequirePermission } from '../auth/permissions';

@ApiTags('catalog')
@Controller('v1/guardrails')
export class GuardrailsController {
  constructor(private readonly guardrails: GuardrailsService) {}

  @Get()
  @RequirePermission(Permission.CatalogRead)
  @ApiOkResponse({ type: [GuardrailDto] })
  list(@Query() query: GuardrailListQueryDto): Promise<GuardrailDto[]> {
    return this.guardrails.list(query);
  }

  @Get(':id')
  @RequirePermission(Permission.CatalogRead)
  @ApiOkResponse({ type: GuardrailDto })
  get(@Param('id', uuidParam()) id: string): Promise<GuardrailDto> {
    return this.guardrails.get(id);
  }

  @Post()
  @RequirePermission(Permission.GuardrailsWrite)
  @ApiCreatedResponse({ type: GuardrailDto, description: 'One level (global, a category or a SKU); 409 if that level already has guardrails.' })
  create(@Body() body: CreateGuardrailDto): Promise<GuardrailDto> {
    return this.guardrails.create(body);
  }

  @Patch(':id')
  @RequirePermission(Permission.GuardrailsWrite)
  @ApiOkResponse({ type: GuardrailDto })
  update(@Param('id', uuidParam()) id: string, @Body() body: UpdateGuardrailDto): Promise<GuardrailDto> {
    return this.guardrails.update(id, body);
  }

  @Delete(':id')
  @RequirePermission(Permission.GuardrailsWrite)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  remove(@Param('id', uuidParam()) id: string): Promise<void> {
    return this.guardrails.remove(id);
  }
}
