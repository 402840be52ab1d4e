/** Options for prices, owned hardware, energy, carbon, interruptions and the uncertainty range (estimate, compare, plan). */
import { type Command, Option } from 'commander';
import { PRICE_TIERS } from '../core/enums.js';
import { PUE_HYPERSCALE, PUE_INDUSTRY_AVERAGE, US_INDUSTRIAL_USD_PER_KWH_2023 } from '../core/energy.js';
import { EPOCH_DEPRECIATION_OOMS_PER_YEAR } from '../core/owned.js';
import { ASYNC_CHECKPOINT_STALL_SECONDS, CALIBRATED_RESTART_SECONDS, LLAMA3_FAILURES_PER_GPU_HOUR } from '../core/reliability.js';
import { SECONDS_PER_MINUTE } from '../core/units.js';
import { parseFractionRange } from '../core/parse.js';
import { duration, durationIn, shortDuration, nonNegativeNumber, oneOf, positiveNumber, pue, usd, wrap } from './options.js';

export function addMoneyOptions(cmd: Command): Command {
  return cmd
    .option('--provider <id>', 'price a rental from a price preset: aws, gcp, azure, lambda, coreweave, … (gpucost presets list --kind price)')
    .addOption(new Option('--price-tier <tier>', `rental tier with --provider: ${PRICE_TIERS.join(', ')} (default on-demand)`).argParser(oneOf(PRICE_TIERS)))
    .option('--owned', 'owned hardware: purchase price amortised over the run (Epoch AI) plus energy')
    .option('--hardware-price <usd>', 'with --owned: purchase price per GPU including its server and network share', usd)
    .option(
      '--depreciation-years <years>',
      `with --owned: straight-line over N years (5, or 60mo) instead of Epoch AI's ${EPOCH_DEPRECIATION_OOMS_PER_YEAR} orders of magnitude a year`,
      durationIn('y'),
    )
    .option('--pue <x>', `power usage effectiveness (default ${PUE_INDUSTRY_AVERAGE}, hyperscale clouds ${PUE_HYPERSCALE})`, pue)
    .option('--kwh-price <usd>', `electricity price, USD per kWh (default for --owned: ${US_INDUSTRIAL_USD_PER_KWH_2023}, US industrial 2023)`, usd)
    .option('--power-per-gpu <watts>', 'average power per GPU with its server share, before PUE (default from TDP, Epoch AI)', positiveNumber)
    .option('--grid <id>', 'grid carbon intensity preset, e.g. us-virginia, france, aws-us-east-1 (default: world)')
    .option('--grid-gco2-kwh <n>', 'grid carbon intensity, gCO2e per kWh', nonNegativeNumber)
    .option(
      '--reliability',
      'add expected interruptions (Llama 3 failure rate) and checkpoint stalls to time and cost (on by default when the step-time model times the run)',
    )
    .option('--no-reliability', 'leave them out, also under --perf model (the training step alone)')
    .option('--failure-rate <n>', `interruptions per GPU-hour (default ${LLAMA3_FAILURES_PER_GPU_HOUR.toExponential(2)}, Llama 3)`, positiveNumber)
    .option(
      '--restart-time <duration>',
      `time from an interruption to training again, e.g. 10min (default ${CALIBRATED_RESTART_SECONDS / SECONDS_PER_MINUTE}min)`,
      duration,
    )
    .option('--checkpoint-interval <duration>', "training between checkpoints, e.g. 30min (default: Young's optimum)", duration)
    .option(
      '--checkpoint-time <duration>',
      `training stall per checkpoint, e.g. 2min (default ${ASYNC_CHECKPOINT_STALL_SECONDS}s, asynchronous)`,
      shortDuration,
    )
    .option('--mfu-range <low..high>', 'MFU range behind the low/high time and cost, e.g. 0.3..0.5', wrap(parseFractionRange));
}
