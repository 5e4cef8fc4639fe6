import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission, RequirePermission } from '../auth/permissions';
import { currentCaller } from '../common/caller';
import { uuidParam } from '../common/params';
import {
  AuditListQueryDto,
  FairnessAuditDto,
  FairnessAuditPageDto,
  FairnessScheduleDto,
  RunFairnessAuditDto,
  UpdateFairnessScheduleDto,
} from './dto/fairness-audit.dto';
import { FairnessAuditsService } from './fairness-audits.service';
import { FairnessScheduleService } from './fairness-schedule.service';

@ApiTags('fairness')
@Controller('v1/fairness')
export class FairnessController {
  constructor(
    private readonly audits: FairnessAuditsService,
    private readonly schedule: FairnessScheduleService,
  ) {}

  @Post('audits')
  @RequirePermission(Permission.FairnessRun)
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({
    type: FairnessAuditDto,
    description: 'Runs an audit now over [from, to) and stores it. status: pass, fail, or insufficient-data (an empty window never passes).',
  })
  run(@Body() body: RunFairnessAuditDto): Promise<FairnessAuditDto> {
    return this.audits.run(body, currentCaller());
  }

  @Get('audits')
  @RequirePermission(Permission.FairnessRead)
  @ApiOkResponse({ type: FairnessAuditPageDto, description: 'Stored audits, newest first, with their verdict and table.' })
  list(@Query() query: AuditListQueryDto): Promise<FairnessAuditPageDto> {
    return this.audits.list(query);
  }

  @Get('audits/:id')
  @RequirePermission(Permission.FairnessRead)
  @ApiOkResponse({ type: FairnessAuditDto, description: 'One stored audit with its inputs and full results.' })
  get(@Param('id', uuidParam()) id: string): Promise<FairnessAuditDto> {
    return this.audits.get(id);
  }

  @Get('schedule')
  @RequirePermission(Permission.FairnessRead)
  @ApiOkResponse({ type: FairnessScheduleDto })
  getSchedule(): Promise<FairnessScheduleDto> {
    return this.schedule.get();
  }

  @Put('schedule')
  @RequirePermission(Permission.FairnessRun)
  @ApiOkResponse({ type: FairnessScheduleDto, description: 'Changes the daily audit (time, window, settings); every instance follows it.' })
  updateSchedule(@Body() body: UpdateFairnessScheduleDto): Promise<FairnessScheduleDto> {
    return this.schedule.update(body, currentCaller());
  }
}
