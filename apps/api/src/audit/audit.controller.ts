import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission, RequirePermission } from '../auth/permissions';
import { AuditService } from './audit.service';
import { AuditPageDto, AuditQueryDto } from './dto/audit.dto';

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission(Permission.AuditRead)
  @ApiOkResponse({ type: AuditPageDto, description: 'Every call (who, route, status, payload hash, source, decisions), newest first; follow nextCursor.' })
  list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.query(query);
  }
}
