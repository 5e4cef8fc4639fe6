import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission, RequirePermission } from '../auth/permissions';
import { uuidParam } from '../common/params';
import { DecisionExplanationDto } from './dto/explanation.dto';
import { ExplanationsService } from './explanations.service';

@ApiTags('explanations')
@Controller()
export class ExplanationsController {
  constructor(private readonly explanations: ExplanationsService) {}

  @Get('v1/decisions/:id/explanation')
  @RequirePermission(Permission.DecisionsRead)
  @ApiOkResponse({
    type: DecisionExplanationDto,
    description:
      'TreeSHAP attributions of the demand model’s raw score at the chosen price (baseValue + Σ attributions = rawPrediction; predictedUnits in units), recomputed from the stored model version and feature row; the runner-up prices and why they lost; what bound the price. A decision without a model says why in `noAttribution`. Unknown decision: 404.',
  })
  explain(@Param('id', uuidParam()) id: string): Promise<DecisionExplanationDto> {
    return this.explanations.explain(id);
  }
}
