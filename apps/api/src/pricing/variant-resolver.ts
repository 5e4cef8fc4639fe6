import { Injectable } from '@nestjs/common';
import type { DemandModel, PricingVariant } from '@dynaprice/pricing';
import { ActiveExperiments } from '../experiments/active-experiments';
import { ServedModels } from '../models/served-models';
import { PricingState } from './pricing-state';

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
 * Which variant prices a unit: the running experiment whose scope covers the store × SKU assigns it
 * (deterministic hashing, in memory); a shipped or rolled-back experiment prices its scope with its
 * final variant; anything else gets the champion. A legacy variant (or a treatment that a guardrail
 * sent back to legacy) still carries the champion, so the decision records expected units.
 */
@Injectable()
export class VariantResolver {
  constructor(
    protected readonly models: ServedModels,
    private readonly experiments: ActiveExperiments,
    private readonly state: PricingState,
  ) {}

  /** The champion's resolution outside any experiment: one object per served champion (every line of most baskets). */
  private championDefault: ResolvedVariant | null = null;

  resolve(keys: AssignmentKeys): ResolvedVariant {
    const champion = this.models.get('champion');
    const category = this.state.sku(keys.skuCode)?.category;
    const assigned = category === undefined ? null : this.experiments.assign({ ...keys, category });
    if (!assigned) {
      if (this.championDefault?.model !== champion) {
        this.championDefault = { variant: { kind: 'model', name: 'default', modelVersion: champion?.version ?? NO_MODEL_VERSION }, experimentId: null, model: champion };
      }
      return this.championDefault;
    }
    const { variant, experimentId } = assigned;
    if (variant.kind === 'legacy' || assigned.fallenBack) return { variant: { kind: 'legacy', name: variant.key }, experimentId, model: champion };
    const model = this.experiments.model(variant.model);
    return { variant: { kind: 'model', name: variant.key, modelVersion: model?.version ?? NO_MODEL_VERSION }, experimentId, model };
  }
}
