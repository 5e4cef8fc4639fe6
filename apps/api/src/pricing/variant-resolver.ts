import { Injectable } from '@nestjs/common';
import type { DemandModel, PricingVariant } from '@dynaprice/pricing';
import { ActiveExperiments, type UnitKeys } from '../experiments/active-experiments';
import { ServedModels } from '../models/served-models';

export interface ResolvedVariant {
  variant: PricingVariant;
  experimentId: string | null;
  /** The model that scores the candidates; null when the variant needs none or none is loaded. */
  model: DemandModel | null;
  /** `experimentId|variant`: which of a store × SKU's reusable decisions this variant may serve. */
  key: string;
}

function resolved(variant: PricingVariant, experimentId: string | null, model: DemandModel | null): ResolvedVariant {
  return { variant, experimentId, model, key: `${experimentId ?? '-'}|${variant.name}` };
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
  ) {}

  /** The champion's resolution outside any experiment: one object per served champion (every line of most baskets). */
  private championDefault: ResolvedVariant | null = null;

  /** `keys` say who is being priced, for assignment only: never a pricing input. */
  resolve(keys: UnitKeys, now: number): ResolvedVariant {
    const champion = this.models.get('champion');
    const assigned = this.experiments.assign(keys, now);
    if (!assigned) {
      if (this.championDefault?.model !== champion) {
        this.championDefault = resolved({ kind: 'model', name: 'default', modelVersion: champion?.version ?? NO_MODEL_VERSION }, null, champion);
      }
      return this.championDefault;
    }
    const { variant, experimentId } = assigned;
    if (variant.kind === 'legacy' || assigned.fallenBack) return resolved({ kind: 'legacy', name: variant.key }, experimentId, champion);
    const model = this.experiments.model(variant.model);
    return resolved({ kind: 'model', name: variant.key, modelVersion: model?.version ?? NO_MODEL_VERSION }, experimentId, model);
  }
}
