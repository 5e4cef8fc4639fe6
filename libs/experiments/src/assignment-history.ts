import { createAssigner, type AssignmentDefinition } from './assignment';

/** One version of a running experiment's assignment, in force from `from` (Unix ms) until the next one. */
export interface AssignmentVersion {
  from: number;
  definition: AssignmentDefinition;
}

/** A unit's variant under the latest version, and since when it has had that variant without a break. */
export interface UnitTenure {
  variant: string;
  /** Start of the unbroken run of versions that gave the unit its current variant. */
  since: number;
}

/**
 * The assignment timeline of an experiment whose weights (or coverage) changed while it ran. Results
 * count a unit only under its current variant and only from the moment it got it, so a unit that a
 * weight change moved from control into treatment contributes its treatment period to treatment and
 * nothing of its control period to either arm (no unit is counted in two arms).
 *
 * Returns a function of the unit id: its tenure, or null when the latest version leaves it out
 * (coverage, namespace). Versions may come in any order; they are sorted by `from`.
 */
export function assignmentTimeline(versions: readonly AssignmentVersion[]): (unitId: string) => UnitTenure | null {
  if (versions.length === 0) throw new RangeError('an assignment timeline needs at least one version');
  const sorted = [...versions].sort((a, b) => a.from - b.from);
  const assigners = sorted.map((version) => createAssigner(version.definition));
  const last = assigners.length - 1;
  return (unitId) => {
    const variant = (assigners[last] as (id: string) => string | null)(unitId);
    if (variant === null) return null;
    let index = last;
    while (index > 0 && (assigners[index - 1] as (id: string) => string | null)(unitId) === variant) index--;
    return { variant, since: (sorted[index] as AssignmentVersion).from };
  };
}

/** The variant a unit had at `time` (the version in force then; the first version before it starts). */
export function variantAt(versions: readonly AssignmentVersion[], unitId: string, time: number): string | null {
  if (versions.length === 0) throw new RangeError('needs at least one version');
  const sorted = [...versions].sort((a, b) => a.from - b.from);
  let current = sorted[0] as AssignmentVersion;
  for (const version of sorted) if (version.from <= time) current = version;
  return createAssigner(current.definition)(unitId);
}
