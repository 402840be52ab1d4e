/** `prices`: one run at every provider × GPU × tier that can hold it, as `gpucost prices --format json` spells it. */
import type { Registry } from '../presets/catalog.js';
import { type PricesRequest, priceRows } from '../resolve/prices.js';
import { type PricesDocument, pricesReport } from '../report/prices.js';
import type { Report } from '../report/model.js';
import { finiteOrThrow } from '../report/finite.js';
import { withModelFile } from './model-file.js';
import { type ApiOptions, presetsOf, todayOf } from './options.js';

/** A prices request: the run (model, tokens, one GPU count) and what to keep, by the CLI's names. */
export interface PricesInput extends Omit<PricesRequest, 'gpuList' | 'providerList' | 'tierList'> {
  /** GPU types to keep (the CLI's --gpu). */
  gpu?: string[];
  /** Providers to keep (--provider). */
  provider?: string[];
  /** Tiers to keep (--tier). */
  tier?: PricesRequest['tierList'];
}

export function toPricesRequest(input: PricesInput): PricesRequest {
  const { gpu, provider, tier, ...rest } = input;
  const req: PricesRequest = { ...rest };
  if (gpu) req.gpuList = gpu;
  if (provider) req.providerList = provider;
  if (tier) req.tierList = tier;
  return req;
}

/** The ranked rows' report (what the CLI renders). */
export function runPrices(request: PricesRequest, presets: Registry): Report {
  return pricesReport(priceRows(request, presets), request.gpus);
}

/**
 * Time and cost of one run on every rental offering in the price presets that can hold `gpus` GPUs
 * (in one instance, or over a multi-node network the presets record), cheapest first. Offerings
 * that cannot, or whose reach is unknown, are listed under `excluded`.
 */
export function prices(input: PricesInput, options: ApiOptions = {}): PricesDocument {
  const report = runPrices(withModelFile(toPricesRequest({ today: todayOf(options), ...input }), process.cwd()), presetsOf(options));
  return finiteOrThrow(report.json) as unknown as PricesDocument;
}
