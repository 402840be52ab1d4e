/**
 * Which price per GPU-hour an estimate uses, and where it came from: --price > --owned (amortised
 * purchase + energy) > --provider/--price-tier (a rental price preset) > the scenario's price > none.
 * Pure: "today" arrives in the request (the CLI passes the current date; tests pass a fixed one).
 */
import { formatGrouped } from '../core/grouping.js';
import type { PriceTier } from '../core/enums.js';
import { capexUsdPerGpuHour, chargePerYear, type Depreciation, EPOCH_DEPRECIATION_OOMS_PER_YEAR } from '../core/owned.js';
import { energyCostUsdPerGpuHour } from '../core/energy.js';
import { DAYS_PER_YEAR, MS_PER_SECOND, SECONDS_PER_DAY } from '../core/units.js';
import { type Warning, warning } from '../core/warnings.js';
import { GpucostError } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import type { GpuPreset, PriceEntry, PricePreset, PurchaseEntry } from '../presets/schema.js';
import { r, type Resolved } from './origin.js';

/** A price older than this many days draws a warning (12 months of 365 days). */
export const STALE_PRICE_DAYS = 365;

/** `prices` marks a price older than this many days as dated (six months of 365/12 days): neocloud prices move within months. */
export const DATED_PRICE_DAYS = 183;

export const DEFAULT_PRICE_TIER: PriceTier = 'on-demand';

export interface PriceRequest {
  price?: number;
  provider?: string;
  priceTier?: PriceTier;
  owned?: boolean;
  /** Purchase price per GPU including its server and network share, USD (with --owned). */
  hardwarePrice?: number;
  /** Straight-line depreciation over this many years instead of Epoch AI's exponential rate. */
  depreciationYears?: number;
  /** YYYY-MM-DD; enables the staleness check. */
  today?: string;
  /**
   * A GPU the provider lists no price for at the tier gets no price and a warning instead of
   * stopping the run (`compare` of several GPUs, where the provider lists some of them).
   */
  unlistedGpuUnpriced?: boolean;
  /**
   * With no price, provider or scenario price: take the cheapest listed on-demand rental of the GPU
   * that reaches the GPU count (fine-tuning, where no scenario carries a price), and say so.
   */
  cheapestListed?: boolean;
}

/**
 * Whether an offering can hold a run on this many GPUs: in one instance, or over its multi-node
 * network. `reaches` is null when the presets do not say (the instance size or its network is unknown).
 */
export interface ClusterReach {
  reaches: boolean | null;
  /** One line: "one instance of 8", "multi-node over EFA", or why not. */
  reason: string;
}

export function clusterReach(e: PriceEntry, gpus: number): ClusterReach {
  const size = e.instanceGpus;
  if (gpus <= 1) return { reaches: true, reason: 'one GPU' };
  if (size !== undefined && gpus <= size) return { reaches: true, reason: `one instance of ${size} GPUs` };
  if (e.cluster?.multiNode === true) return { reaches: true, reason: `multi-node${e.cluster.interconnect ? ` over ${e.cluster.interconnect}` : ''}` };
  if (e.cluster?.multiNode === false) return { reaches: false, reason: `single instance only (${size ?? '?'} GPUs, no multi-node network)` };
  if (size === undefined) return { reaches: null, reason: 'GPUs per instance not in the presets' };
  return { reaches: null, reason: `instances of ${size} GPUs; whether they join into a cluster is not in the presets` };
}

export interface OwnedBreakdown {
  /** GPU + server share + network share, USD per GPU. */
  hardwareUsdPerGpu: number;
  gpuUsd: number | null;
  serverUsdPerGpu: number | null;
  interconnectUsdPerGpu: number | null;
  depreciation: 'exponential' | 'straight-line';
  /** Orders of magnitude per year (exponential) or null. */
  depreciationOomsPerYear: number | null;
  depreciationYears: number | null;
  /** Fraction of the hardware value charged per year of use. */
  chargePerYear: number;
  capexUsdPerGpuHour: number;
  energyUsdPerGpuHour: number | null;
  kwhPriceUsd: number | null;
}

/** The `priceSource` of the JSON contract: which price, from where, as of when. */
export interface PriceSource {
  kind: 'flag' | 'scenario' | 'rental' | 'owned';
  usdPerGpuHour: number;
  provider: string | null;
  providerName: string | null;
  tier: PriceTier | null;
  instance: string | null;
  region: string | null;
  asOf: string | null;
  /** Days between asOf and today, when both are known. */
  ageDays: number | null;
  stale: boolean;
  source: { title: string; url: string } | null;
  /** One line for people: "AWS on-demand, p4de.24xlarge, us-east-1, as of 2026-08-26". */
  description: string;
  /** How the entry was chosen when several matched, and the others. */
  selection: string | null;
  owned: OwnedBreakdown | null;
}

export interface ResolvedPrice {
  price: Resolved<number | null>;
  priceSource: PriceSource | null;
  /** The rental entry used (its region picks the grid), if any. */
  entry: (PriceEntry & { provider: PricePreset }) | null;
  notes: string[];
  warnings: Warning[];
}

/** What owned-hardware pricing needs from the energy model: W per GPU (server share, before PUE) and PUE. */
export interface OwnedEnergy {
  averageWattsPerGpu: number | null;
  pue: number;
  kwhPriceUsd: number | null;
}

export function resolvePrice(
  req: PriceRequest,
  registry: Registry,
  gpu: GpuPreset,
  scenarioPrice: Resolved<number> | undefined,
  energy: OwnedEnergy,
  flag: (key: string) => string,
  gpus?: number,
): ResolvedPrice {
  const notes: string[] = [];
  const warnings: Warning[] = [];
  checkCombination(req);
  if (req.price !== undefined) {
    if (req.provider !== undefined || req.owned) notes.push(`--price ${req.price} overrides ${req.owned ? '--owned' : `--provider ${req.provider}`}`);
    return {
      price: r(req.price, flag('price')),
      priceSource: plainSource('flag', req.price, `${perHour(req.price)}: ${flag('price')}`),
      entry: null,
      notes,
      warnings,
    };
  }
  if (req.owned) {
    const owned = ownedPrice(req, registry, gpu, energy, notes, warnings);
    return { price: r(owned.usdPerGpuHour, detailOf(owned)), priceSource: owned, entry: null, notes, warnings };
  }
  if (req.provider !== undefined) return providerPrice(req, req.provider, registry, gpu, notes, warnings, gpus);
  if (scenarioPrice) {
    return {
      price: scenarioPrice,
      priceSource: plainSource('scenario', scenarioPrice.value, `${perHour(scenarioPrice.value)}: ${scenarioPrice.origin}`),
      entry: null,
      notes,
      warnings,
    };
  }
  const cheapest = req.cheapestListed ? cheapestProvider(registry, gpu, gpus ?? 1) : null;
  if (cheapest) {
    notes.push(`price: the cheapest listed ${DEFAULT_PRICE_TIER} rental of ${gpu.id} (${cheapest}); --provider or --price choose another`);
    return providerPrice({ ...req, priceTier: DEFAULT_PRICE_TIER }, cheapest, registry, gpu, notes, warnings, gpus);
  }
  return { price: r(null, 'none given (--price, --provider or --owned)'), priceSource: null, entry: null, notes, warnings };
}

/** The provider with the lowest on-demand price for `gpu`, among those known to reach `gpus` GPUs when any is (null when none lists it). */
function cheapestProvider(registry: Registry, gpu: GpuPreset, gpus: number): string | null {
  // Prefer a listing known to reach the count; else one not known either way, which the price's
  // PRICE_REACH_UNKNOWN warning then says (a price with its caveat beats none); never one that cannot.
  const best: Partial<Record<'known' | 'unknown', { id: string; usd: number }>> = {};
  for (const provider of registry.all('prices')) {
    if (!isRentalList(provider) || !listsRental(provider, gpu, DEFAULT_PRICE_TIER)) continue;
    const { entry } = pickRentalEntry(provider, gpu, DEFAULT_PRICE_TIER, gpus);
    const reaches = clusterReach(entry, gpus).reaches;
    if (reaches === false) continue;
    const kind = reaches === true ? 'known' : 'unknown';
    const cur = best[kind];
    if (cur === undefined || entry.usdPerGpuHour < cur.usd || (entry.usdPerGpuHour === cur.usd && provider.id < cur.id))
      best[kind] = { id: provider.id, usd: entry.usdPerGpuHour };
  }
  return (best.known ?? best.unknown)?.id ?? null;
}

/** The price a provider's list gives the GPU at the tier (--provider), with its date and reach checked. */
function providerPrice(
  req: PriceRequest,
  providerId: string,
  registry: Registry,
  gpu: GpuPreset,
  notes: string[],
  warnings: Warning[],
  gpus?: number,
): ResolvedPrice {
  const provider = registry.get('prices', providerId);
  const tier = req.priceTier ?? DEFAULT_PRICE_TIER;
  if (req.unlistedGpuUnpriced && !listsRental(provider, gpu, tier)) {
    warnings.push(
      warning('PRICE_MISSING', `${provider.id} lists no ${tier} price for ${gpu.id}: its rows have no cost (--price USD gives one)`, {
        provider: provider.id,
        tier,
        gpu: gpu.id,
      }),
    );
    return { price: r(null, `none: ${provider.id} lists no ${tier} price for ${gpu.id}`), priceSource: null, entry: null, notes, warnings };
  }
  const { entry, selection } = pickRentalEntry(provider, gpu, tier, gpus);
  const source = rentalSource(provider, entry, selection, req.today);
  if (source.stale) warnings.push(staleWarning(source, gpu.id));
  const unreached = gpus === undefined ? null : reachWarning(provider, entry, gpu.id, tier, gpus);
  if (unreached) warnings.push(unreached);
  if (req.priceTier === undefined) notes.push(`price tier: ${tier} (the default; --price-tier chooses another)`);
  return { price: r(entry.usdPerGpuHour, `preset ${detailOf(source)}`), priceSource: source, entry: { ...entry, provider }, notes, warnings };
}

function checkCombination(req: PriceRequest): void {
  if (req.priceTier !== undefined && req.provider === undefined && req.price === undefined) {
    throw new GpucostError('E_INPUT', '--price-tier needs --provider', 'e.g. --provider aws --price-tier reserved-1y (gpucost presets list --kind price)');
  }
  if (req.owned && req.provider !== undefined && req.price === undefined) {
    throw new GpucostError('E_INPUT', '--owned and --provider both choose a price', 'drop one: --owned charges purchased hardware, --provider a rental');
  }
  if (!req.owned && (req.hardwarePrice !== undefined || req.depreciationYears !== undefined)) {
    const which = req.hardwarePrice !== undefined ? '--hardware-price' : '--depreciation-years';
    throw new GpucostError('E_INPUT', `${which} needs --owned`, 'add --owned to price owned hardware');
  }
}

/** A description is "$X per GPU-hour: DETAIL"; the detail alone serves as the price's origin. */
const DETAIL_SEPARATOR = ': ';
function detailOf(s: PriceSource): string {
  return s.description.slice(s.description.indexOf(DETAIL_SEPARATOR) + DETAIL_SEPARATOR.length);
}

function plainSource(kind: 'flag' | 'scenario', usd: number, description: string): PriceSource {
  return {
    kind,
    usdPerGpuHour: usd,
    provider: null,
    providerName: null,
    tier: null,
    instance: null,
    region: null,
    asOf: null,
    ageDays: null,
    stale: false,
    source: null,
    description,
    selection: null,
    owned: null,
  };
}

/** A list of today's rentals: not purchase prices (hardware) and not a past price kept for a claim (historical). */
export function isRentalList(p: PricePreset): boolean {
  return p.kind !== 'hardware' && p.kind !== 'historical';
}

/** Whether a rental price list has an entry for this GPU at this tier. */
export function listsRental(provider: PricePreset, gpu: GpuPreset, tier: PriceTier): boolean {
  return provider.kind !== 'hardware' && provider.prices.some((e) => e.gpu === gpu.id && e.tier === tier);
}

/**
 * The provider's entry for this GPU and tier. Several can match (instance sizes, regions, secure vs
 * community clouds): the lowest price wins, then the newest asOf, then the instance name, and the
 * choice is recorded.
 */
export function pickRentalEntry(provider: PricePreset, gpu: GpuPreset, tier: PriceTier, gpus?: number): { entry: PriceEntry; selection: string | null } {
  if (provider.kind === 'hardware') {
    throw new GpucostError('E_INPUT', `${provider.id} lists purchase prices, not rentals`, 'use --owned for hardware you buy');
  }
  const forGpu = provider.prices.filter((e) => e.gpu === gpu.id);
  if (forGpu.length === 0) {
    const gpus = [...new Set(provider.prices.map((e) => e.gpu))].sort();
    throw new GpucostError('E_INPUT', `${provider.id} lists no price for ${gpu.id}`, `it lists: ${gpus.join(', ')}; or pass --price USD`);
  }
  const matches = forGpu.filter((e) => e.tier === tier);
  if (matches.length === 0) {
    const tiers = [...new Set(forGpu.map((e) => e.tier))].join(', ');
    throw new GpucostError('E_INPUT', `${provider.id} lists no ${tier} price for ${gpu.id}`, `--price-tier one of: ${tiers}`);
  }
  // An instance too small for the run, with no network to join several, cannot be the price of it;
  // when no entry is known to reach the count, the choice stays the lowest price as before.
  const reaching = gpus === undefined ? [] : matches.filter((e) => clusterReach(e, gpus).reaches === true);
  const pool = reaching.length > 0 ? reaching : matches;
  const sorted = [...pool].sort(
    (a, b) => a.usdPerGpuHour - b.usdPerGpuHour || b.asOf.localeCompare(a.asOf) || (a.instance ?? '').localeCompare(b.instance ?? ''),
  );
  const entry = sorted[0] as PriceEntry;
  const others = sorted.slice(1).map((e) => `${entryLabel(e)} $${e.usdPerGpuHour}`);
  const left = matches.length - pool.length;
  const reach = sorted.length === 1 ? `the one ${tier} entry that reaches ${gpus} GPUs` : `lowest of ${sorted.length} ${tier} entries that reach ${gpus} GPUs`;
  const lowest = left > 0 ? `${reach} (${left} more cannot, or are not known to)` : `lowest of ${sorted.length} ${tier} entries`;
  const selection = others.length > 0 || left > 0 ? `${lowest}${others.length > 0 ? ` (also listed: ${others.join('; ')})` : ''}` : null;
  return { entry, selection };
}

function entryLabel(e: PriceEntry): string {
  return [e.instance, e.region].filter(Boolean).join(', ') || e.gpu;
}

function rentalSource(provider: PricePreset, e: PriceEntry, selection: string | null, today: string | undefined): PriceSource {
  const ageDays = today === undefined ? null : daysBetween(e.asOf, today);
  const where = [e.instance, e.region].filter(Boolean).join(' ');
  return {
    kind: 'rental',
    usdPerGpuHour: e.usdPerGpuHour,
    provider: provider.id,
    providerName: provider.name,
    tier: e.tier,
    instance: e.instance ?? null,
    region: e.region ?? null,
    asOf: e.asOf,
    ageDays,
    stale: ageDays !== null && ageDays > STALE_PRICE_DAYS,
    source: { title: e.source.title, url: e.source.url },
    description: `${perHour(e.usdPerGpuHour)}: ${provider.id} ${e.tier}${where ? `, ${where}` : ''}, as of ${e.asOf}`,
    selection,
    owned: null,
  };
}

/** PRICE_REACH_UNKNOWN when the entry priced is not known to form a cluster of `gpus`, else null. */
function reachWarning(provider: PricePreset, entry: PriceEntry, gpuId: string, tier: PriceTier, gpus: number): Warning | null {
  const reach = clusterReach(entry, gpus);
  if (reach.reaches === true) return null;
  const what = reach.reaches === false ? 'cannot reach' : 'is not known to reach';
  return warning(
    'PRICE_REACH_UNKNOWN',
    `${provider.id} ${tier} ${gpuId} (${entryLabel(entry)}) ${what} ${gpus} GPUs: ${reach.reason}; the price assumes it can`,
    {
      provider: provider.id,
      tier,
      gpu: gpuId,
      gpus,
      instance: entry.instance ?? null,
      reaches: reach.reaches,
      reason: reach.reason,
    },
  );
}

function staleWarning(s: PriceSource, gpuId: string): Warning {
  const years = ((s.ageDays ?? 0) / DAYS_PER_YEAR).toFixed(1);
  return warning(
    'PRICE_STALE',
    `the price used (${s.provider} ${s.tier} ${gpuId}, $${s.usdPerGpuHour}) is from ${s.asOf}, ${years} years before today; prices move (check the source, or pass --price)`,
    { provider: s.provider, tier: s.tier, gpu: gpuId, usdPerGpuHour: s.usdPerGpuHour, asOf: s.asOf, ageDays: s.ageDays, staleAfterDays: STALE_PRICE_DAYS },
  );
}

/** Whole days from `from` to `to` (both YYYY-MM-DD, UTC). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / (SECONDS_PER_DAY * MS_PER_SECOND));
}

/**
 * Owned hardware: purchase price per GPU (the newest purchase entry for the GPU, or --hardware-price)
 * amortised by Epoch AI's exponential depreciation (or straight-line with --depreciation-years), plus
 * the energy it draws at --kwh-price.
 */
function ownedPrice(req: PriceRequest, registry: Registry, gpu: GpuPreset, energy: OwnedEnergy, notes: string[], warnings: Warning[]): PriceSource {
  const purchase = req.hardwarePrice === undefined ? newestPurchase(registry, gpu) : undefined;
  const entry = purchase?.entry;
  const hardwareUsdPerGpu = ownedHardwareUsdPerGpu(req, gpu, entry, warnings);
  const depreciation: Depreciation =
    req.depreciationYears !== undefined
      ? { kind: 'straight-line', years: req.depreciationYears }
      : { kind: 'exponential', oomsPerYear: EPOCH_DEPRECIATION_OOMS_PER_YEAR };
  const capex = capexUsdPerGpuHour(hardwareUsdPerGpu, depreciation);
  const energyUsdPerGpuHour = ownedEnergyUsdPerGpuHour(gpu, energy, warnings);
  const usdPerGpuHour = capex + (energyUsdPerGpuHour ?? 0);
  const depText = depreciation.kind === 'exponential' ? `${EPOCH_DEPRECIATION_OOMS_PER_YEAR} OOM/yr` : `${depreciation.years} years straight-line`;
  const bought = entry ? `$${fmt(hardwareUsdPerGpu)}/GPU (${entry.asOf})` : `$${fmt(hardwareUsdPerGpu)}/GPU (--hardware-price)`;
  const description =
    `${perHour(usdPerGpuHour)}: owned, ${bought} at ${depText}` + (energyUsdPerGpuHour === null ? '' : ` + $${fmt(energyUsdPerGpuHour)} energy`);
  if (purchase?.others.length)
    notes.push(`purchase price: the newest of ${purchase.others.length + 1} entries for ${gpu.id} (also: ${purchase.others.join('; ')})`);
  const ageDays = entry && req.today !== undefined ? daysBetween(entry.asOf, req.today) : null;
  return {
    kind: 'owned',
    usdPerGpuHour,
    provider: purchase?.preset.id ?? null,
    providerName: purchase?.preset.name ?? null,
    tier: null,
    instance: null,
    region: null,
    asOf: entry?.asOf ?? null,
    ageDays,
    stale: false, // a purchase price is what was paid; its age is not a reason to doubt it
    source: entry ? { title: entry.source.title, url: entry.source.url } : null,
    description,
    selection: null,
    owned: {
      hardwareUsdPerGpu,
      gpuUsd: entry?.gpuUsd ?? null,
      serverUsdPerGpu: entry?.serverUsdPerGpu ?? null,
      interconnectUsdPerGpu: entry?.interconnectUsdPerGpu ?? null,
      depreciation: depreciation.kind,
      depreciationOomsPerYear: depreciation.kind === 'exponential' ? depreciation.oomsPerYear : null,
      depreciationYears: depreciation.kind === 'straight-line' ? depreciation.years : null,
      chargePerYear: chargePerYear(depreciation),
      capexUsdPerGpuHour: capex,
      energyUsdPerGpuHour,
      kwhPriceUsd: energy.kwhPriceUsd,
    },
  };
}

/** What one owned GPU cost with its server and network share: --hardware-price, else the newest purchase preset. */
function ownedHardwareUsdPerGpu(req: PriceRequest, gpu: GpuPreset, entry: PurchaseEntry | undefined, warnings: Warning[]): number {
  if (req.hardwarePrice !== undefined) return req.hardwarePrice;
  if (!entry)
    throw new GpucostError(
      'E_INPUT',
      `no purchase price for ${gpu.id} in the presets`,
      'pass --hardware-price USD (per GPU, with its server and network share)',
    );
  if (entry.serverUsdPerGpu === undefined || entry.interconnectUsdPerGpu === undefined) {
    warnings.push(
      warning('OWNED_COST_PARTIAL', `the purchase price of ${gpu.id} lacks a server or network share; the owned cost is low`, {
        gpu: gpu.id,
        gpuUsd: entry.gpuUsd,
        serverUsdPerGpu: entry.serverUsdPerGpu ?? null,
        interconnectUsdPerGpu: entry.interconnectUsdPerGpu ?? null,
        asOf: entry.asOf,
      }),
    );
  }
  return entry.gpuUsd + (entry.serverUsdPerGpu ?? 0) + (entry.interconnectUsdPerGpu ?? 0);
}

/** Energy per GPU-hour of owned hardware (power × PUE × price), or null with a warning when a figure is missing. */
function ownedEnergyUsdPerGpuHour(gpu: GpuPreset, energy: OwnedEnergy, warnings: Warning[]): number | null {
  if (energy.averageWattsPerGpu !== null && energy.kwhPriceUsd !== null)
    return energyCostUsdPerGpuHour(energy.averageWattsPerGpu, energy.pue, energy.kwhPriceUsd);
  warnings.push(
    warning('OWNED_NO_POWER', `owned cost of ${gpu.id} leaves out energy: no power figure (pass --power-per-gpu W)`, {
      gpu: gpu.id,
      powerWattsPerGpu: energy.averageWattsPerGpu,
      kwhPriceUsd: energy.kwhPriceUsd,
    }),
  );
  return null;
}

function newestPurchase(registry: Registry, gpu: GpuPreset): { entry: PurchaseEntry; preset: PricePreset; others: string[] } | undefined {
  const all = registry.list('prices').flatMap((preset) => preset.purchases.filter((p) => p.gpu === gpu.id).map((entry) => ({ entry, preset })));
  all.sort((a, b) => b.entry.asOf.localeCompare(a.entry.asOf) || a.preset.id.localeCompare(b.preset.id));
  const first = all[0];
  if (!first) return undefined;
  const others = all.slice(1).map((p) => `$${fmt(p.entry.gpuUsd)} GPU as of ${p.entry.asOf}`);
  return { ...first, others };
}

/** "$3.43/GPU-h" (three significant digits below $100). */
function perHour(usd: number): string {
  return `$${fmt(usd)}/GPU-h`;
}

function fmt(x: number): string {
  return x >= 100 ? formatGrouped(x) : Number(x.toPrecision(3)).toString();
}
