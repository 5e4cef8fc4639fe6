import { Injectable } from '@nestjs/common';
import type { DemandModel, PricingVariant } from '@dynaprice/pricing';
import { ServedModels } from '../models/served-models';

/** Who is being priced, for assignment: never a pricing input. */
export interface AssignmentKeys {
  storeId: string;
  skuCode: string;
  customerId?: string;
  sessionId?: string;
}

export interface ResolvedVariant {
  variant: PricingVariant;
  experimentId: string | null;
  /** The model that scores the candidates; null when the variant needs none or none is loaded. */
  model: DemandModel | null;
}

/** No model loaded yet: price by the model variant without predictions, i.e. the legacy fallback. */
const NO_MODEL_VERSION = 'none';

/**
 * Which variant prices a unit. Outside experiments: the champion model. The experiments module
 * replaces this with deterministic assignment (see ExperimentVariantResolver).
 */
@Injectable()
export class VariantResolver {
  constructor(protected readonly models: ServedModels) {}

  async resolve(_keys: AssignmentKeys): Promise<ResolvedVariant> {
    const champion = this.models.get('champion');
    return {
      variant: { kind: 'model', name: 'default', modelVersion: champion?.version ?? NO_MODEL_VERSION },
      experimentId: null,
      model: champion,
    };
  }
}
