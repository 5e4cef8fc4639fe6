import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Permission, RequirePermission } from '../auth/permissions';
import { PageOf, type Page } from '../common/dto/page.dto';
import { uuidParam } from '../common/params';
import {
  CostEntryDto,
  CostEntryListQueryDto,
  CreateCostEntryDto,
  CreateRoiOutcomeDto,
  RoiCalculationDto,
  RoiOutcomeDto,
  RoiReportDto,
  RoiReportQueryDto,
  RoiResultDto,
  UnitCostDto,
  UnitCostInputDto,
  UpdateCostEntryDto,
} from './dto/roi.dto';
import { RoiService } from './roi.service';

@ApiTags('roi')
@Controller('v1/roi')
export class RoiController {
  constructor(private readonly roi: RoiService) {}

  @Get()
  @RequirePermission(Permission.RoiRead)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: RoiReportDto, description: 'ROI per month, quarter or experiment; CSV with `Accept: text/csv` or `?format=csv`. ROI below 10 % is flagged.' })
  async report(@Query() query: RoiReportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<RoiReportDto | string> {
    const output = await this.roi.report(query, accept);
    void reply.headers(output.headers);
    return output.body;
  }

  @Post('calculate')
  @RequirePermission(Permission.RoiRead)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RoiResultDto, description: 'The book’s method on your own inputs: (gain − cost) / cost.' })
  calculate(@Body() body: RoiCalculationDto): RoiResultDto {
    return this.roi.calculate(body);
  }

  @Post('unit-cost')
  @RequirePermission(Permission.RoiRead)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: UnitCostDto, description: 'Cost per 1,000 requests and decisions on Fargate from measured throughput.' })
  unitCost(@Body() body: UnitCostInputDto): UnitCostDto {
    return this.roi.unitCost(body);
  }

  @Get('costs')
  @RequirePermission(Permission.RoiRead)
  @ApiOkResponse({ type: PageOf(CostEntryDto) })
  listCosts(@Query() query: CostEntryListQueryDto): Promise<Page<CostEntryDto>> {
    return this.roi.listCosts(query);
  }

  @Post('costs')
  @RequirePermission(Permission.RoiWrite)
  @ApiCreatedResponse({ type: CostEntryDto })
  createCost(@Body() body: CreateCostEntryDto): Promise<CostEntryDto> {
    return this.roi.createCost(body);
  }

  @Get('costs/:id')
  @RequirePermission(Permission.RoiRead)
  @ApiOkResponse({ type: CostEntryDto })
  getCost(@Param('id', uuidParam()) id: string): Promise<CostEntryDto> {
    return this.roi.getCost(id);
  }

  @Patch('costs/:id')
  @RequirePermission(Permission.RoiWrite)
  @ApiOkResponse({ type: CostEntryDto })
  updateCost(@Param('id', uuidParam()) id: string, @Body() body: UpdateCostEntryDto): Promise<CostEntryDto> {
    return this.roi.updateCost(id, body);
  }

  @Delete('costs/:id')
  @RequirePermission(Permission.RoiWrite)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  removeCost(@Param('id', uuidParam()) id: string): Promise<void> {
    return this.roi.removeCost(id);
  }

  @Get('outcomes')
  @RequirePermission(Permission.RoiRead)
  @ApiOkResponse({ type: [RoiOutcomeDto], description: 'Outcomes entered by finance (measured ones come from the experiments).' })
  listOutcomes(): Promise<RoiOutcomeDto[]> {
    return this.roi.listOutcomes();
  }

  @Post('outcomes')
  @RequirePermission(Permission.RoiWrite)
  @ApiCreatedResponse({ type: RoiOutcomeDto })
  createOutcome(@Body() body: CreateRoiOutcomeDto): Promise<RoiOutcomeDto> {
    return this.roi.createOutcome(body);
  }

  @Delete('outcomes/:id')
  @RequirePermission(Permission.RoiWrite)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  removeOutcome(@Param('id', uuidParam()) id: string): Promise<void> {
    return this.roi.removeOutcome(id);
  }
}
