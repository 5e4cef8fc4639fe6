import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission, RequirePermission } from '../auth/permissions';
import { PageOf, type Page } from '../common/dto/page.dto';
import { uuidParam } from '../common/params';
import { ExperimentResultsResponseDto, type ExperimentResultsDto } from './dto/experiment-results.dto';
import {
  AssignmentDto,
  AssignmentQueryDto,
  CreateExperimentDto,
  ExperimentActionDto,
  ExperimentDto,
  ExperimentHistoryEntryDto,
  ExperimentListQueryDto,
  ShipExperimentDto,
  UpdateExperimentDto,
} from './dto/experiment.dto';
import { ExperimentResultsService } from './experiment-results.service';
import { ExperimentsService } from './experiments.service';

@ApiTags('experiments')
@Controller('v1/experiments')
export class ExperimentsController {
  constructor(
    private readonly experiments: ExperimentsService,
    private readonly results: ExperimentResultsService,
  ) {}

  @Get()
  @RequirePermission(Permission.ExperimentsRead)
  @ApiOkResponse({ type: PageOf(ExperimentDto) })
  list(@Query() query: ExperimentListQueryDto): Promise<Page<ExperimentDto>> {
    return this.experiments.list(query);
  }

  @Post()
  @RequirePermission(Permission.ExperimentsWrite)
  @ApiCreatedResponse({ type: ExperimentDto, description: 'A draft: it prices nothing until it starts.' })
  create(@Body() body: CreateExperimentDto): Promise<ExperimentDto> {
    return this.experiments.create(body);
  }

  @Get(':id')
  @RequirePermission(Permission.ExperimentsRead)
  @ApiOkResponse({ type: ExperimentDto })
  get(@Param('id', uuidParam()) id: string): Promise<ExperimentDto> {
    return this.experiments.get(id);
  }

  @Patch(':id')
  @RequirePermission(Permission.ExperimentsWrite)
  @ApiOkResponse({ type: ExperimentDto, description: 'A draft changes freely; a running experiment only its weights, models, coverage, guardrails and dates, as a new recorded version.' })
  update(@Param('id', uuidParam()) id: string, @Body() body: UpdateExperimentDto): Promise<ExperimentDto> {
    return this.experiments.update(id, body);
  }

  @Delete(':id')
  @RequirePermission(Permission.ExperimentsWrite)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Drafts only; anything that ran stays on record.' })
  remove(@Param('id', uuidParam()) id: string): Promise<void> {
    return this.experiments.remove(id);
  }

  @Post(':id/start')
  @RequirePermission(Permission.ExperimentsDecide)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ExperimentDto, description: 'Starts assigning at once; 409 when a running experiment covers an overlapping scope.' })
  start(@Param('id', uuidParam()) id: string, @Body() body: ExperimentActionDto): Promise<ExperimentDto> {
    return this.experiments.start(id, body);
  }

  @Post(':id/stop')
  @RequirePermission(Permission.ExperimentsDecide)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ExperimentDto, description: 'Ends it; the scope goes back to default pricing.' })
  stop(@Param('id', uuidParam()) id: string, @Body() body: ExperimentActionDto): Promise<ExperimentDto> {
    return this.experiments.stop(id, body);
  }

  @Post(':id/ship')
  @RequirePermission(Permission.ExperimentsDecide)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ExperimentDto, description: 'Ends it; the chosen variant prices the whole scope from now on.' })
  ship(@Param('id', uuidParam()) id: string, @Body() body: ShipExperimentDto): Promise<ExperimentDto> {
    return this.experiments.ship(id, body);
  }

  @Post(':id/rollback')
  @RequirePermission(Permission.ExperimentsDecide)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ExperimentDto, description: 'Ends it (or undoes a ship); the control variant prices the whole scope from now on.' })
  rollback(@Param('id', uuidParam()) id: string, @Body() body: ExperimentActionDto): Promise<ExperimentDto> {
    return this.experiments.rollback(id, body);
  }

  @Get(':id/history')
  @RequirePermission(Permission.ExperimentsRead)
  @ApiOkResponse({ type: [ExperimentHistoryEntryDto], description: 'Every recorded change, oldest first: who, when, why, and the experiment after it.' })
  history(@Param('id', uuidParam()) id: string): Promise<ExperimentHistoryEntryDto[]> {
    return this.experiments.history(id);
  }

  @Get(':id/results')
  @RequirePermission(Permission.ExperimentsRead)
  @ApiOkResponse({
    type: ExperimentResultsResponseDto,
    description: 'Per variant totals, lift with 95 % CI (plain and CUPED), the always-valid sequential test, SRM, Holm-adjusted secondary metrics, guardrails, daily series. Also a guardrail check: a breach sends the treatment back to legacy pricing.',
  })
  resultsOf(@Param('id', uuidParam()) id: string): Promise<ExperimentResultsDto> {
    return this.results.results(id);
  }

  @Post(':id/guardrails/check')
  @RequirePermission(Permission.ExperimentsDecide)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ExperimentResultsResponseDto, description: 'Runs the guardrail check now (it also runs on a schedule and with every results call).' })
  check(@Param('id', uuidParam()) id: string): Promise<ExperimentResultsDto> {
    return this.results.results(id);
  }

  @Get(':id/assignment')
  @RequirePermission(Permission.ExperimentsRead)
  @ApiOkResponse({ type: AssignmentDto, description: 'The variant of one unit, with its GrowthBook hash: cross-check it in GrowthBook.' })
  assignment(@Param('id', uuidParam()) id: string, @Query() query: AssignmentQueryDto): Promise<AssignmentDto> {
    return this.experiments.assignment(id, query);
  }
}
