/**
 * `gpucost prices`: one run priced at every provider × GPU × tier in the price presets that can hold
 * it, cheapest first. Each row is an ordinary estimate with --provider/--price-tier/--gpu set, so
 * time and cost come from the same resolution and arithmetic as `estimate` and `compare`.
 */
import type { Precision, PriceTier } from '../core/enums.js';
import { type Warning, blockingCheck, warning } from '../core/warnings.js';
import { GpucostError } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import type { GpuPreset, PriceEntry, PricePreset } from '../presets/schema.js';
import { peakTflops } from '../presets/to-core.js';
import { type ComputedEstimate, computeEstimate } from './compute.js';
import { type EstimateRequest, resolveEstimate } from './estimate.js';
import { clusterReach, DATED_PRICE_DAYS, daysBetween, isRentalList, pickRentalEntry, STALE_PRICE_DAYS } from './price.js';

export interface PricesRequest extends Omit<EstimateRequest, 'gpu' | 'gpus' | 'provider' | 'priceTier' | 'price' | 'owned'> {
  /** The run's GPU count (one). */
  gpus: number;
  /** GPU types to keep (ids or aliases); default: every GPU some provider prices. */
  gpuList?: string[];
  /** Providers to keep (ids or aliases); default: every rental price list. */
  providerList?: string[];
  /** Tiers to keep; default: all. */
  tierList?: PriceTier[];
}

export interface PriceRow {
  provider: PricePreset;
  tier: PriceTier;
  /** The entry the estimate was priced at (the lowest of the provider's for this GPU and tier that reaches the count). */
  entry: PriceEntry;
  /** How the offering holds the run: one instance or multi-node. */
  reach: string;
  /** Days from the entry's asOf to today, when today is known. */
  ageDays: number | null;
  /** Older than DATED_PRICE_DAYS. */
  dated: boolean;
  estimate: ComputedEstimate;
  /** The estimate's warnings, and PRICE_DATED for a price six months to a year old. */
  warnings: Warning[];
}

/** An offering left out because it cannot hold the run, or because the presets do not say whether it can. */
export interface ExcludedOffering {
  provider: string;
  gpu: string;
  tier: PriceTier;
  instance: string | null;
  usdPerGpuHour: number;
  /** false: cannot reach the count; null: unknown; true: it can, but the GPU has no peak at the precision asked for. */
  reaches: boolean | null;
  /** Set when the offering's GPU has no dense peak at --precision (an H100 for fp4, an A100 for fp8). */
  precision?: string;
  reason: string;
}

export interface PricesResult {
  rows: PriceRow[];
  excluded: ExcludedOffering[];
}

export function priceRows(req: PricesRequest, registry: Registry): PricesResult {
  const { gpus, gpuList, providerList, tierList, ...rest } = req;
  if (!Number.isInteger(gpus) || gpus < 1) throw new GpucostError('E_INPUT', `--gpus ${gpus}: prices takes one whole GPU count`, 'e.g. --gpus 64');
  const gpuIds = gpuList ? new Set(gpuList.map((g) => registry.get('gpus', g).id)) : null;
  const providers = providerList ? providerList.map((p) => registry.get('prices', p)) : registry.list('prices');
  const rentals = providers.filter(isRentalList);
  if (providerList && rentals.length === 0)
    throw new GpucostError('E_INPUT', `${providerList.join(', ')}: no rental prices`, 'gpucost presets list --kind price');
  const rows: PriceRow[] = [];
  const excluded: ExcludedOffering[] = [];
  // Several GPU types are compared, as in `compare`: one utilisation for all, not one run's measurement.
  const base: EstimateRequest = { ...rest, gpus, ignoreScenarioThroughput: 'several GPUs are priced, so all use peak × MFU' };
  for (const provider of rentals) {
    for (const [key, entries] of offerings(provider, gpuIds, tierList)) {
      const [gpuId, tier] = key.split('\u0000') as [string, PriceTier];
      const gpu = registry.get('gpus', gpuId);
      const { reaching, left } = sortOfferings(provider.id, gpu, tier, entries, gpus, req.precision);
      excluded.push(...left);
      if (reaching.length === 0) continue;
      const { entry } = pickRentalEntry(provider, gpu, tier, gpus);
      const estimate = computeEstimate(resolveEstimate({ ...base, gpu: gpu.id, provider: provider.id, priceTier: tier }, registry));
      const ageDays = req.today === undefined ? null : daysBetween(entry.asOf, req.today);
      const dated = ageDays !== null && ageDays > DATED_PRICE_DAYS;
      const warnings = [...estimate.warnings];
      if (dated && (ageDays as number) <= STALE_PRICE_DAYS) warnings.push(datedWarning(provider, tier, entry, ageDays as number));
      rows.push({ provider, tier, entry, reach: clusterReach(entry, gpus).reason, ageDays, dated, estimate, warnings });
    }
  }
  // Offerings that cannot run the plan (an error-level check: does not fit, no layout, …) go after
  // every one that can, however cheap: "cheapest first" ranks plans that work.
  const blocked = (r: PriceRow): number => (blockingCheck(r.warnings) ? 1 : 0);
  rows.sort(
    (a, b) =>
      blocked(a) - blocked(b) ||
      (a.estimate.result.costUsd ?? Number.POSITIVE_INFINITY) - (b.estimate.result.costUsd ?? Number.POSITIVE_INFINITY) ||
      a.estimate.result.wallClockSeconds - b.estimate.result.wallClockSeconds ||
      a.provider.id.localeCompare(b.provider.id),
  );
  return { rows, excluded };
}

/**
 * The entries of one (GPU, tier) that can run the count, and those left out: too small to form the
 * cluster, unknown whether they can, or on a GPU with no dense peak at the precision asked for.
 */
function sortOfferings(
  providerId: string,
  gpu: GpuPreset,
  tier: PriceTier,
  entries: PriceEntry[],
  gpus: number,
  precision: Precision | undefined,
): { reaching: PriceEntry[]; left: ExcludedOffering[] } {
  const offering = (e: PriceEntry) => ({ provider: providerId, gpu: gpu.id, tier, instance: e.instance ?? null, usdPerGpuHour: e.usdPerGpuHour });
  const reaching = entries.filter((e) => clusterReach(e, gpus).reaches === true);
  const left: ExcludedOffering[] = entries
    .filter((e) => !reaching.includes(e))
    .map((e) => {
      const reach = clusterReach(e, gpus);
      return { ...offering(e), reaches: reach.reaches as false | null, reason: reach.reason };
    });
  if (precision === undefined || peakTflops(gpu, precision) !== undefined) return { reaching, left };
  // A GPU without a peak at the precision asked for cannot run it: left out, and said so.
  left.push(...reaching.map((e) => ({ ...offering(e), reaches: true, precision, reason: `${gpu.id} has no ${precision} peak` })));
  return { reaching: [], left };
}

/** The provider's entries grouped by (GPU, tier), keeping only the GPUs and tiers asked for. */
function offerings(provider: PricePreset, gpuIds: Set<string> | null, tiers: PriceTier[] | undefined): Map<string, PriceEntry[]> {
  const groups = new Map<string, PriceEntry[]>();
  for (const e of provider.prices) {
    if (gpuIds && !gpuIds.has(e.gpu)) continue;
    if (tiers && !tiers.includes(e.tier)) continue;
    const key = `${e.gpu}\u0000${e.tier}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return groups;
}

function datedWarning(provider: PricePreset, tier: PriceTier, e: PriceEntry, ageDays: number): Warning {
  return warning(
    'PRICE_DATED',
    `the price (${provider.id} ${tier} ${e.gpu}, $${e.usdPerGpuHour}) is from ${e.asOf}, ${ageDays} days before today; rental prices move within months (check the source)`,
    { provider: provider.id, tier, gpu: e.gpu, usdPerGpuHour: e.usdPerGpuHour, asOf: e.asOf, ageDays, datedAfterDays: DATED_PRICE_DAYS },
  );
}
