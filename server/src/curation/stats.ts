/** Running counts over the filter chain, one candidate at a time (constant memory). */
import { STAGE_DESCRIPTIONS, type ReferenceLabel } from './filters';
import {
  FILTER_STAGES,
  type CurationItem,
  type CurationOptions,
  type CurationStats,
  type FilterStage,
  type StageStats,
} from '../../../contract/curation';

type LabelSource = 'verdict' | 'scorers' | 'unknown';
function labelSource(item: CurationItem): LabelSource {
  const v = item.verdict?.label;
  if (v === 'hack' || v === 'clean') return 'verdict';
  return item.analysis ? 'scorers' : 'unknown';
}

const rate = (hacks: number, known: number): number | null => (known > 0 ? hacks / known : null);

export class StatsAccumulator {
  private problems = 0;
  private problemsSkipped = 0;
  private problemsSelected = 0;
  private selected = 0;
  private selectedHacks = 0;
  private selectedKnown = 0;
  private picksHonoured = 0;
  private picksFilteredOut = 0;
  private readonly sources = { verdict: 0, scorers: 0, unknown: 0 };
  private readonly selectedSources = { verdict: 0, scorers: 0, unknown: 0 };
  private expectedHacks = 0;
  private expectedOver = 0;
  private reviewedEnsembleClean = 0;
  private reviewedEnsembleCleanHacks = 0;
  /** Index j: candidates still in before stage j (j = stages.length: after every stage). */
  private readonly alive: number[];
  private readonly aliveHacks: number[];
  private readonly aliveKnown: number[];
  private readonly removed: number[];

  constructor(private readonly opts: CurationOptions) {
    const n = FILTER_STAGES.length + 1;
    this.alive = new Array<number>(n).fill(0);
    this.aliveHacks = new Array<number>(n).fill(0);
    this.aliveKnown = new Array<number>(n).fill(0);
    this.removed = new Array<number>(FILTER_STAGES.length).fill(0);
  }

  candidate(label: ReferenceLabel, removedBy: FilterStage | undefined, item?: CurationItem): void {
    if (item) {
      this.sources[labelSource(item)]++;
      const v = item.verdict?.label;
      if (item.analysis && !item.analysis.isHack && (v === 'hack' || v === 'clean')) {
        this.reviewedEnsembleClean++;
        if (v === 'hack') this.reviewedEnsembleCleanHacks++;
      }
    }
    const last = removedBy === undefined ? FILTER_STAGES.length : FILTER_STAGES.indexOf(removedBy);
    if (removedBy !== undefined) this.removed[last]!++;
    for (let j = 0; j <= last; j++) {
      this.alive[j]!++;
      if (label !== 'unknown') this.aliveKnown[j]!++;
      if (label === 'hack') this.aliveHacks[j]!++;
    }
  }

  problem(
    selectedLabels: readonly ReferenceLabel[],
    pick: 'honoured' | 'filtered' | 'none',
    selectedItems?: readonly CurationItem[],
  ): void {
    for (const item of selectedItems ?? []) {
      const src = labelSource(item);
      this.selectedSources[src]++;
      if (src === 'verdict') {
        this.expectedOver++;
        if (item.verdict!.label === 'hack') this.expectedHacks++;
      } else if (item.analysis) {
        this.expectedOver++;
        this.expectedHacks += item.analysis.hackProbability;
      }
    }
    this.problems++;
    if (selectedLabels.length === 0) this.problemsSkipped++;
    else this.problemsSelected++;
    this.selected += selectedLabels.length;
    for (const l of selectedLabels) {
      if (l !== 'unknown') this.selectedKnown++;
      if (l === 'hack') this.selectedHacks++;
    }
    if (pick === 'honoured') this.picksHonoured++;
    else if (pick === 'filtered') this.picksFilteredOut++;
  }

  result(): CurationStats {
    const stages: StageStats[] = FILTER_STAGES.map((stage, j) => ({
      stage,
      description: STAGE_DESCRIPTIONS[stage](this.opts),
      before: this.alive[j]!,
      removed: this.removed[j]!,
      after: this.alive[j + 1]!,
      hackRateBefore: rate(this.aliveHacks[j]!, this.aliveKnown[j]!),
      hackRateAfter: rate(this.aliveHacks[j + 1]!, this.aliveKnown[j + 1]!),
    }));
    return {
      problems: this.problems,
      candidates: this.alive[0]!,
      hacks: this.aliveHacks[0]!,
      stages,
      eligible: this.alive[FILTER_STAGES.length]!,
      selected: this.selected,
      problemsSkipped: this.problemsSkipped,
      problemsSelected: this.problemsSelected,
      selectedHackRate: rate(this.selectedHacks, this.selectedKnown),
      picksHonoured: this.picksHonoured,
      picksFilteredOut: this.picksFilteredOut,
      labelSources: { ...this.sources },
      selectedLabelSources: { ...this.selectedSources },
      expectedResidualHackRate: this.expectedOver ? this.expectedHacks / this.expectedOver : null,
      reviewedMisses: { hacks: this.reviewedEnsembleCleanHacks, reviewed: this.reviewedEnsembleClean },
    };
  }
}
