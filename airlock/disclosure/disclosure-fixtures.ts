/**
 * Fixture tables with stated results (the unit test holds them to these, the demo releases them):
 * - PASSING_TABLE: admissions by region and sex with totals; every count is at least 10 → pass.
 * - SMALL_CELL_TABLE: the same with North/Female = 7 → fail, threshold: 1 cell ([1, 2]: row North, column Female).
 * - DOMINATED_TABLE: prescribing cost by practice group with its contributors (supporting columns): East's
 *   cost 10,000 has top contributions 8,000 + 900 = 89 % > 85 % → fail, nk-rule: 1 cell ([1, 1]: row East, column cost); every
 *   other cell passes (North 44 %, South 30 %) and East's p-ratio rest 1,100 ≥ 10 % of 8,000.
 * - DIFFERENCING_TABLE: a suppressed cell alone in its row and column while totals are shown → fail,
 *   differencing: 1 cell ([0, 2]: row North, column Female).
 */
export const PASSING_TABLE = ['region,Male,Female,Total', 'North,25,31,56', 'South,40,38,78', 'Total,65,69,134', ''].join('\n');

export const SMALL_CELL_TABLE = ['region,Male,Female,Total', 'South,40,38,78', 'North,25,7,32', 'Total,65,45,110', ''].join('\n');

export const DOMINATED_TABLE = [
  'practice_group,cost,cost_n,cost_top1,cost_top2',
  'North,50000,40,12000,10000',
  'East,10000,12,8000,900',
  'South,30000,25,5000,4000',
  '',
].join('\n');

export const DIFFERENCING_TABLE = ['region,Male,Female,Total', 'North,25,c,40', 'South,40,38,78', 'Total,65,53,118', ''].join('\n');
