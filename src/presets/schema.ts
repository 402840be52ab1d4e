/**
 * Zod schemas of every preset kind: the single source of truth for their TypeScript types, for
 * validation of YAML files, and for the JSON Schema files in `schema/` that editors use.
 * Only type imports of this file may appear on the default CLI path; the runtime schema is loaded
 * lazily, when a user file is read, and at build time.
 */
import { EXPERT_DISPATCHERS } from '../core/perf.js';
import { RECOMPUTE_MODES } from '../core/parallel.js';
import { ACTIVATION_KERNELS, LOSS_KINDS } from '../core/memory.js';
import { BASE_QUANTS, FINETUNE_MODES, FINETUNE_OPTIMIZERS, LORA_TARGETS } from '../core/finetune.js';
import { z } from 'zod';
import {
  ATTENTION_KERNELS,
  BIAS_KINDS,
  FLOPS_CONVENTIONS,
  RANGE_ENDS,
  FLASH_KERNELS,
  GPU_ARCHITECTURES,
  MLP_KINDS,
  MEMORY_METRICS,
  NORM_KINDS,
  POSITION_EMBEDDINGS,
  PERF_MODES,
  PRECISIONS,
  PRICE_TIERS,
  VENDORS,
} from '../core/enums.js';
import { parseQuantity } from '../core/quantity.js';
import { CLAIM_QUANTITIES, type ClaimQuantity } from './claims.js';
import {
  type Parsed,
  parseCount,
  parseCountList,
  parseDuration,
  parseDurationIn,
  parseFraction,
  parseProbability,
  parseFractionRange,
  parseMoney,
  parseNonNegativeInt,
  parseNonNegativeNumber,
  parsePositiveInt,
  parsePositiveNumber,
  parsePue,
  parseScaling,
} from '../core/parse.js';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.+-]*$/, 'ids are lower-case letters, digits, ".", "+" and "-"')
  .describe('Identifier used on the command line');

const positive = z.number().positive().finite();
const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

/** A count written as a number (`300000000000`, `3e11`) or with a suffix (`300B`). */
export const count = z
  .union([positive, z.string()], { error: 'a positive number, or a string such as "175B" or "1.5k"' })
  .transform((value, ctx) => {
    if (typeof value === 'number') return value;
    const parsed = parseQuantity(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    }
    if (parsed.value <= 0) {
      ctx.addIssue({ code: 'custom', message: 'must be positive' });
      return z.NEVER;
    }
    return parsed.value;
  })
  .describe('A positive count: a number, or a string with a suffix such as "175B" or "1.5k"');

export const SourceSchema = z
  .strictObject({
    title: z.string().min(1).describe('Title of the document'),
    url: z.url().describe('Where it can be read'),
    retrieved: z.iso.date().describe('Date the figure was read, YYYY-MM-DD'),
    covers: z.array(z.string().min(1)).optional().describe('Fields whose numbers this source gives; omitted = every numeric field of the preset'),
    note: z.string().optional().describe('Where in the document, or a caveat'),
  })
  .describe('Provenance of numbers in this preset');
export type Source = z.infer<typeof SourceSchema>;

const sources = z.array(SourceSchema).min(1).describe('Every number in the preset must be covered by a source');
const aliases = z.array(id).default([]).describe('Other ids that find this preset');
const notes = z.array(z.string()).default([]).describe('Caveats shown with the preset');

/** A measured peak's metric, as throughput and fine-tuning rows state it (MEMORY_METRICS). */
const memoryMetric = z
  .enum(MEMORY_METRICS)
  .optional()
  .describe(
    "What memoryGiB counts: 'allocated' (PyTorch's max_memory_allocated, tensors only), 'reserved' (max_memory_reserved: the caching allocator's peak, without the CUDA context or NCCL's buffers) or 'device' (nvidia-smi); omitted: device",
  );

/** A framework's data-parallel gradient bucket, as runs and throughput rows state it (--grad-bucket-mib for a user). */
const gradientBucketMiB = positive
  .optional()
  .describe(
    "Data-parallel gradient bucket, MiB of 16-bit gradients, one collective each, as the framework's config states it (PyTorch DDP's and nanotron's bucket_cap_mb); omitted: Megatron-Core's max(40M, 1M × DP) parameters",
  );

// ---------------------------------------------------------------------------------------------- GPU

const peakTflops = positive.optional();
export const DenseTflopsSchema = z
  .strictObject({
    fp64: peakTflops.describe('FP64 vector (non-tensor), TFLOP/s'),
    fp64Tensor: peakTflops.describe('FP64 tensor/matrix, TFLOP/s'),
    fp32: peakTflops.describe('FP32 vector (non-tensor), TFLOP/s'),
    tf32: peakTflops.describe('TF32 tensor, dense, TFLOP/s'),
    fp16: peakTflops.describe('FP16 tensor with FP32 accumulate, dense, TFLOP/s'),
    bf16: peakTflops.describe('BF16 tensor with FP32 accumulate, dense, TFLOP/s'),
    fp8: peakTflops.describe('FP8 tensor, dense, TFLOP/s'),
    mxfp8: peakTflops.describe('MXFP8 (block-scaled FP8) tensor, dense, TFLOP/s; only where the GPU runs it natively'),
    fp4: peakTflops.describe('NVFP4 (block-scaled FP4) tensor, dense, TFLOP/s; only where the GPU runs it natively'),
  })
  .describe('Dense peak TFLOP/s per precision (never the 2:4-sparsity headline)');

export const GpuPresetSchema = z
  .strictObject({
    id,
    name: z.string().min(1).describe('Display name'),
    aliases,
    vendor: z.enum(VENDORS),
    architecture: z
      .enum(GPU_ARCHITECTURES)
      .describe('Chip generation (the calibrated default utilisation can differ by generation; see src/core/calibration.ts)'),
    formFactor: z.enum(['sxm', 'pcie', 'oam', 'nvl', 'superchip', 'tpu', 'mezzanine']).describe('Package / board'),
    launchYear: z.number().int().min(2000).max(2100),
    memoryGB: positive.describe('Device memory in decimal GB (1e9 bytes), as marketed'),
    memoryBandwidthTBps: positive.describe('Device memory bandwidth, TB/s (1e12 bytes/s)'),
    denseTflops: DenseTflopsSchema,
    matmulTflops: z
      .strictObject({
        fp16: peakTflops.describe('FP16 inputs, TFLOP/s'),
        bf16: peakTflops.describe('BF16 inputs, TFLOP/s'),
        fp8: peakTflops.describe('FP8 inputs, TFLOP/s'),
      })
      .optional()
      .describe(
        "Best dense matmul rate measured on this GPU over a search of shapes (Maximum Achievable Matmul FLOPS): the step-time model's GEMM ceiling is this ÷ the dense peak",
      ),
    intraNodeLink: z
      .strictObject({
        name: z.string().min(1).describe('e.g. "NVLink 3", "PCIe 4.0 x16"'),
        bandwidthGBpsPerDirection: positive.describe(
          'Per GPU, one direction, GB/s. NVIDIA marketing figures (600 GB/s for NVLink 3) are both directions summed: halve them',
        ),
      })
      .describe('Fastest GPU-to-GPU link inside a node'),
    tdpWatts: positive.optional().describe('Board power / TDP, W; omitted where the vendor publishes none'),
    defaultCluster: id.optional().describe('Cluster preset used when none is chosen (e.g. dgx-a100-superpod)'),
    nvidiaSmiNames: z.array(z.string().min(1)).default([]).describe('Names nvidia-smi or rocm-smi prints'),
    pciDeviceIds: z
      .array(z.string().regex(/^0x[0-9A-F]{4}$/, 'PCI device id like "0x2335"'))
      .default([])
      .describe('PCI device ids (upper-case hex)'),
    sources,
    notes,
  })
  .describe('An accelerator preset');
export type GpuPreset = z.output<typeof GpuPresetSchema>;

// -------------------------------------------------------------------------------------------- model

export const ArchitectureSchema = z
  .strictObject({
    layers: positiveInt,
    dModel: positiveInt.describe('Hidden size'),
    heads: positiveInt.describe('Attention (query) heads'),
    kvHeads: positiveInt.optional().describe('Key/value heads (grouped-query attention); default: heads'),
    dHead: positiveInt.optional().describe('Head dimension; default: dModel / heads'),
    ffnHidden: positiveInt.describe('Hidden width of the dense MLP (d_ff)'),
    mlp: z.enum(MLP_KINDS).describe('gelu/relu: two matrices; swiglu/geglu: three'),
    vocab: positiveInt.describe('Vocabulary size'),
    seqLen: positiveInt.describe('Training sequence length, tokens'),
    tiedEmbeddings: z.boolean().default(false).describe('Output head shares the input embedding'),
    positionEmbedding: z.enum(POSITION_EMBEDDINGS).default('rope'),
    bias: z.enum(BIAS_KINDS).default('none').describe('Which linear layers have biases'),
    norm: z.enum(NORM_KINDS).default('rmsnorm'),
    moe: z
      .strictObject({
        experts: positiveInt,
        expertsPerToken: positiveInt,
        sharedExperts: nonNegativeInt.default(0),
        expertFfnHidden: positiveInt,
        sharedExpertFfnHidden: positiveInt.optional().describe('default: expertFfnHidden'),
        denseLayers: nonNegativeInt.default(0).describe('Leading layers with a dense MLP instead of experts'),
        moeEvery: positiveInt
          .optional()
          .describe('After the leading dense layers, every moeEvery-th layer is MoE and the others dense (Llama 4 interleave step); default 1'),
      })
      .optional(),
    mla: z
      .strictObject({
        qLoraRank: nonNegativeInt,
        kvLoraRank: positiveInt,
        qkNopeHeadDim: positiveInt,
        qkRopeHeadDim: positiveInt,
        vHeadDim: positiveInt,
      })
      .optional()
      .describe('Multi-head latent attention (DeepSeek-V2/V3)'),
    slidingWindow: z
      .strictObject({
        tokens: positiveInt.describe('Positions a query attends, itself included'),
        layers: positiveInt.optional().describe('Layers that use the window; default: all'),
      })
      .optional()
      .describe('Sliding-window attention (Mistral, Gemma 2/3, Olmo 3)'),
  })
  .refine((a) => !a.slidingWindow?.layers || a.slidingWindow.layers <= a.layers, {
    message: 'slidingWindow.layers is more than the model has',
    path: ['slidingWindow', 'layers'],
  })
  .describe('Transformer architecture');

export const ModelPresetSchema = z
  .strictObject({
    id,
    name: z.string().min(1),
    aliases,
    family: z.string().min(1),
    releaseYear: z.number().int().min(2000).max(2100).optional(),
    architecture: ArchitectureSchema,
    training: z
      .strictObject({
        tokens: count.optional().describe('Tokens the published model was trained on (omit if never published)'),
        globalBatchTokens: count
          .optional()
          .describe('Global batch size in tokens, a whole number of sequences (sequences × seqLen); a paper\'s "4M" usually means 2^22 = 4,194,304'),
      })
      .describe('How the published model was trained'),
    published: z
      .strictObject({
        params: count.describe('Parameter count as published'),
        activeParams: count.optional().describe('Active parameters per token, as published (MoE)'),
      })
      .optional(),
    sources,
    notes,
  })
  .describe('A model preset');
export type ModelPreset = z.output<typeof ModelPresetSchema>;

// ----------------------------------------------------------------------------------------- scenario

/** Inputs of one estimate, as a scenario or run file writes them. Every field is optional. */
export const RunInputsSchema = z
  .strictObject({
    model: id.optional(),
    gpu: id.optional(),
    gpus: positiveInt.optional(),
    tokens: count.optional(),
    params: count.optional(),
    tflops: positive.optional().describe('Sustained TFLOP/s per GPU, in the chosen convention'),
    mfu: z.number().positive().max(1).optional().describe('Fraction of dense peak'),
    precision: z.enum(PRECISIONS).optional(),
    flops: z.enum(FLOPS_CONVENTIONS).optional(),
    price: z.number().nonnegative().finite().optional().describe('USD per GPU-hour'),
  })
  .describe('Estimate inputs');
export type RunInputs = z.output<typeof RunInputsSchema>;

export const ClaimSchema = z.strictObject({
  id: z.string().min(1),
  text: z.string().min(1).describe('The claim as the article states it'),
  quantity: z.enum(Object.keys(CLAIM_QUANTITIES) as [ClaimQuantity, ...ClaimQuantity[]]),
  claimed: positive.describe('The claimed value, in the unit of `quantity`'),
  source: SourceSchema,
  inputs: RunInputsSchema.optional().describe('Omitted when the claim cannot be derived from a model'),
  assumptions: z.array(z.string()).default([]).describe('What the source assumed, in words'),
  note: z.string().optional(),
});
export type Claim = z.output<typeof ClaimSchema>;

export const FactSchema = z.strictObject({
  id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'a camelCase identifier'),
  value: z.number().finite(),
  unit: z.string().min(1),
  text: z.string().min(1).describe('What the number is, in words'),
  source: SourceSchema,
});
export type Fact = z.output<typeof FactSchema>;

export const ScenarioPresetSchema = z
  .strictObject({
    id,
    title: z.string().min(1),
    description: z.string().optional(),
    claims: z.array(ClaimSchema).min(1),
    facts: z.array(FactSchema).default([]).describe('Published figures the explanations use'),
    sources,
  })
  .describe('Published claims to reproduce');
export type ScenarioPreset = z.output<typeof ScenarioPresetSchema>;

// ------------------------------------------------------------------------------------------ cluster

export const ClusterPresetSchema = z
  .strictObject({
    id,
    name: z.string().min(1),
    aliases,
    gpu: id.optional().describe('The GPU this cluster is built from, if it is specific to one'),
    gpusPerNode: positiveInt.describe('GPUs sharing the fast intra-node link (the NVLink/ICI domain for TP)'),
    intraNode: z
      .strictObject({
        name: z.string().min(1),
        bandwidthGBpsPerDirection: positive.describe('Per GPU, one direction, GB/s'),
        latencyUs: positive.optional().describe('Small-message latency, microseconds'),
      })
      .describe('Link between GPUs of one node'),
    interNode: z
      .strictObject({
        name: z.string().min(1).describe('e.g. "8 × HDR InfiniBand 200 Gb/s per node"'),
        bandwidthGBpsPerDirectionPerGpu: positive.describe('Network bandwidth per GPU, one direction, GB/s (200 Gb/s = 25 GB/s)'),
        latencyUs: positive.optional().describe('Small-message latency, microseconds'),
      })
      .describe('Network between nodes'),
    sources,
    notes,
  })
  .describe('A cluster: node size and the links inside and between nodes');
export type ClusterPreset = z.output<typeof ClusterPresetSchema>;

// -------------------------------------------------------------------------------------------- price

export const PriceEntrySchema = z.strictObject({
  gpu: id.describe('GPU preset id'),
  tier: z.enum(PRICE_TIERS),
  usdPerGpuHour: positive.describe('USD per GPU-hour (instance price ÷ GPUs per instance)'),
  instance: z.string().optional().describe('Instance type, e.g. p5.48xlarge'),
  region: z.string().optional(),
  asOf: z.iso.date().describe('Date the price was listed at the source'),
  source: SourceSchema,
  note: z.string().optional(),
  instanceGpus: positiveInt.optional().describe("GPUs in one instance at this price, as the price's source lists it"),
  cluster: z
    .strictObject({
      multiNode: z.boolean().describe('Whether instances of this offering can be joined into one training cluster over a GPU network'),
      interconnect: z.string().optional().describe('The network between instances, e.g. "EFA, 3,200 Gb/s per instance" or "InfiniBand NDR"'),
      source: SourceSchema,
    })
    .optional()
    .describe('Whether the offering scales beyond one instance; omitted = unknown, and multi-instance requests leave it out'),
});
export type PriceEntry = z.output<typeof PriceEntrySchema>;

export const PurchaseEntrySchema = z.strictObject({
  gpu: id.describe('GPU preset id'),
  gpuUsd: positive.describe('Purchase price of one accelerator, USD'),
  serverUsdPerGpu: positive.optional().describe('Rest of the server (CPUs, memory, chassis) per GPU, USD'),
  interconnectUsdPerGpu: positive.optional().describe('Cluster network share per GPU, USD'),
  asOf: z.iso.date(),
  source: SourceSchema,
  note: z.string().optional(),
});
export type PurchaseEntry = z.output<typeof PurchaseEntrySchema>;

export const PricePresetSchema = z
  .strictObject({
    id: id.describe('Provider id, e.g. aws, gcp, lambda'),
    name: z.string().min(1),
    aliases,
    kind: z.enum(['hyperscaler', 'neocloud', 'marketplace', 'historical', 'hardware']),
    prices: z.array(PriceEntrySchema).default([]).describe('Rental prices'),
    purchases: z.array(PurchaseEntrySchema).default([]).describe('Hardware purchase prices (for --owned)'),
    notes,
  })
  .describe("A provider's GPU prices, each with its own source and date");
export type PricePreset = z.output<typeof PricePresetSchema>;

// --------------------------------------------------------------------------------------------- grid

export const GridPresetSchema = z
  .strictObject({
    id,
    name: z.string().min(1),
    aliases,
    gco2PerKwh: z.number().nonnegative().finite().describe('Average grid carbon intensity, gCO2e per kWh'),
    year: z.number().int().min(2000).max(2100).describe('Year the intensity describes'),
    sources,
    notes,
  })
  .describe('Carbon intensity of an electricity grid');
export type GridPreset = z.output<typeof GridPresetSchema>;

// ---------------------------------------------------------------------------------------------- run

export const RunPresetSchema = z
  .strictObject({
    id,
    name: z.string().min(1),
    model: id.optional().describe('Model preset id (or give architecture)'),
    architecture: ArchitectureSchema.optional().describe('Inline architecture when no model preset fits'),
    params: count.optional().describe('Parameter count as the source states it'),
    tokens: count,
    gpu: id.describe('Accelerator preset id'),
    gpus: positiveInt.optional().describe('Accelerators used; may be omitted when the source gives only GPU-hours'),
    precision: z.enum(PRECISIONS).optional(),
    cluster: id.optional(),
    parallelism: z
      .strictObject({
        tp: positiveInt.optional(),
        pp: positiveInt.optional(),
        dp: positiveInt.optional(),
        ep: positiveInt.optional().describe('Expert-parallel size (a mixture of experts; carved out of DP)'),
        expertOverlap: z.boolean().optional().describe('The expert all-to-all ran alongside computation (e.g. DeepSeek-V3 DualPipe)'),
        expertDispatcher: z.enum(EXPERT_DISPATCHERS).optional().describe('How tokens reach their experts: NCCL all-to-all, or DeepEP'),
        globalBatch: positiveInt.optional().describe('Sequences per step'),
        microBatch: positiveInt.optional(),
        virtualStages: positiveInt.optional().describe('Model chunks per pipeline stage (interleaved schedule)'),
        gradientBucketMiB,
        zero: z.number().int().min(0).max(3).optional(),
        recompute: z.enum(RECOMPUTE_MODES).optional(),
      })
      .optional()
      .describe('Parallel layout as published'),
    reported: z
      .strictObject({
        gpuHours: positive.optional(),
        wallClockDays: positive.optional().describe('Training time as reported (including downtime if the source does)'),
        tokensPerSecondPerGpu: positive.optional(),
        tflopsPerGpu: positive.optional(),
        flopsConvention: z.enum(FLOPS_CONVENTIONS).optional().describe('How the reported TFLOP/s were counted'),
        mfu: z.number().positive().max(1).optional(),
        hfu: z.number().positive().max(1).optional(),
        secondsPerIteration: positive.optional(),
      })
      .describe('What the source reports (at least one of gpuHours, wallClockDays, tokensPerSecondPerGpu, tflopsPerGpu, mfu)'),
    split: z.enum(['fit', 'holdout']).describe('Used to fit defaults, or kept out to measure honest error'),
    sources,
    notes,
  })
  .describe('A published training run, for gpucost backtest');
export type RunPreset = z.output<typeof RunPresetSchema>;

// ------------------------------------------------------------------------------------- throughput

export const SHARDING_KINDS = ['none', 'zero1', 'zero2', 'zero3', 'fsdp', 'hsdp'] as const;
export type ShardingKind = (typeof SHARDING_KINDS)[number];

export const ThroughputRowSchema = z.strictObject({
  id,
  where: z.string().min(1).describe('Table, figure or section of the source that gives this row'),
  model: id.optional().describe('Model preset id (or give architecture)'),
  architecture: ArchitectureSchema.optional().describe('Inline architecture when no model preset fits'),
  gpu: id.describe('Accelerator preset id'),
  cluster: id
    .optional()
    .describe("Cluster preset (node size and links) where the source's differs from the GPU's default cluster; omitted: the GPU's defaultCluster"),
  seqLen: positiveInt.optional().describe("Sequence length of this row, when it differs from the model's"),
  gpus: positiveInt,
  precision: z.enum(PRECISIONS).describe('Precision of the matrix multiplications'),
  fp8Params: z.boolean().optional().describe('Weights held in FP8 between steps (Megatron-Core FP8_PARAMS / fp8-param-gather; --fp8-params); omitted: 16-bit'),
  kernels: z
    .enum(ACTIVATION_KERNELS)
    .optional()
    .describe(
      "What the framework's kernels keep for the backward (--kernels), for the memory; omitted: fused, pre-training's default (the row's attention kernel is flashKernel)",
    ),
  attention: z
    .enum(['flash', 'eager'])
    .optional()
    .describe('Fused (FlashAttention-style) or materialised attention scores; omitted where the source does not say'),
  flashKernel: z.enum(FLASH_KERNELS).optional().describe("Which fused attention this row's run called, where it differs from its set's"),
  parallelism: z
    .strictObject({
      tp: positiveInt.optional(),
      pp: positiveInt.optional(),
      dp: positiveInt.optional(),
      cp: positiveInt.optional().describe('Context-parallel size'),
      ep: positiveInt.optional().describe('Expert-parallel size (a mixture of experts; carved out of DP × CP, or folded over TP too)'),
      etp: positiveInt.optional().describe("The routed experts' own tensor-parallel size, where it differs from the attention's"),
      expertOverlap: z.boolean().optional().describe('The expert all-to-all ran alongside computation (DualPipe, EP communication overlap)'),
      expertDispatcher: z.enum(EXPERT_DISPATCHERS).optional().describe('How tokens reach their experts: NCCL all-to-all, or DeepEP'),
      virtualStages: positiveInt.optional().describe('Model chunks per pipeline stage (interleaved schedule)'),
      sharding: z.enum(SHARDING_KINDS).optional().describe('How data-parallel replicas shard model state'),
      microBatch: positiveInt.optional().describe('Sequences per micro-batch per GPU'),
      globalBatch: positiveInt.optional().describe('Sequences per optimizer step'),
      recompute: z.enum(RECOMPUTE_MODES).optional(),
      sequenceParallel: z.boolean().optional(),
      gradientBucketMiB,
      gradientReduceFp32: z
        .boolean()
        .optional()
        .describe("Gradients reduced across data-parallel ranks in FP32 (nanotron's accumulate_grad_in_fp32); omitted: in 16 bits"),
    })
    .default({})
    .describe('Parallel layout as published; omitted fields are not stated by the source'),
  measured: z
    .strictObject({
      tokensPerSecondPerGpu: positive.optional(),
      stepSeconds: positive.optional().describe('Seconds per optimizer step'),
      tflopsPerGpu: positive.optional(),
      flopsConvention: z.enum(FLOPS_CONVENTIONS).optional().describe('How the TFLOP/s were counted'),
      mfu: z.number().positive().max(1).optional(),
      hfu: z.number().positive().max(1).optional(),
      memoryGiB: positive.optional().describe('Peak GPU memory of the reporting rank, GiB (the first pipeline stage where it is rank 0)'),
      memoryMetric,
    })
    .describe('What the source measured (at least one of tokensPerSecondPerGpu, stepSeconds, tflopsPerGpu, mfu)'),
  notes,
});
export type ThroughputRow = z.output<typeof ThroughputRowSchema>;

/** A validation set: one source's measured rows, declared fit or holdout as a whole. */
function measuredSetSchema<Row extends z.ZodType>(rows: Row, software: string, description: string) {
  return z
    .strictObject({
      id,
      name: z.string().min(1),
      framework: z.string().min(1).optional().describe(software),
      split: z.enum(['fit', 'holdout']).describe('Declared for the whole source before any fitting: fit, or kept out to measure honest error'),
      sources,
      rows: z.array(rows).min(1),
      notes,
    })
    .describe(description);
}

export const ThroughputSetSchema = measuredSetSchema(
  ThroughputRowSchema,
  'Training software the rows were measured with',
  'Measured training throughput from one source, for validating the step-time model',
).extend({
  flashKernel: z
    .enum(FLASH_KERNELS)
    .optional()
    .describe("Which fused attention the framework calls: cudnn (Transformer Engine), fa2 (flash-attn 2 or PyTorch's SDPA) or fa1; omitted: cudnn"),
});
export type ThroughputSet = z.output<typeof ThroughputSetSchema>;

// ------------------------------------------------------------------------------------ fine-tuning

export const FinetuneRowSchema = z.strictObject({
  id,
  where: z.string().min(1).describe('Table, row or log of the source that gives this row'),
  model: id.optional().describe('Model preset id (or give architecture)'),
  architecture: ArchitectureSchema.optional().describe('Inline architecture when no model preset fits'),
  gpu: id.describe('Accelerator preset id'),
  gpus: positiveInt,
  method: z.enum(FINETUNE_MODES).describe('full, lora or qlora'),
  loraRank: positiveInt.optional(),
  loraTargets: z.enum(LORA_TARGETS).optional(),
  loraDropout: z.number().min(0).lt(1).optional().describe("PEFT's dropout on each adapter's input; omitted: none"),
  quant: z.enum(BASE_QUANTS).optional().describe('How a QLoRA base is stored'),
  bnbLegacy: z.boolean().optional().describe('QLoRA on bitsandbytes before 0.43.2, whose 4-bit layers keep their 16-bit inputs'),
  peftPrepare: z
    .boolean()
    .optional()
    .describe(
      "QLoRA prepared by PEFT's prepare_model_for_kbit_training (the QLoRA recipe, TRL's SFTTrainer): fp32 norms, 32-bit activations; omitted: yes for QLoRA",
    ),
  fp8Params: z
    .boolean()
    .optional()
    .describe("LoRA's frozen base built in FP8 (Transformer Engine's fp8_model_init; --fp8-params), with an FP8 precision; omitted: 16-bit"),
  fp8Attention: z
    .boolean()
    .optional()
    .describe("Attention's matmuls in FP8 too (Transformer Engine's FP8_DPA; --fp8-attention), with an FP8 precision; omitted: 16-bit attention"),
  optimizer: z.enum(FINETUNE_OPTIMIZERS).optional(),
  seqLen: positiveInt.describe('Tokens per sequence (the padded or packed length)'),
  microBatch: positiveInt.describe('Sequences per micro-batch per GPU'),
  recompute: z.enum(RECOMPUTE_MODES).describe('Activation recomputation (gradient checkpointing on: full)'),
  loss: z.enum(LOSS_KINDS).optional().describe('How the loss meets the logits; omitted: full'),
  kernels: z
    .enum(ACTIVATION_KERNELS)
    .optional()
    .describe(
      "What the framework's kernels keep for the backward: eager (PyTorch modules) or fused (Megatron-Core/NeMo with Transformer Engine); omitted: eager",
    ),
  precision: z.enum(PRECISIONS).optional().describe('Precision of the matrix multiplications; omitted: bf16'),
  tp: positiveInt.optional().describe('Tensor-parallel size; omitted: 1 (data parallel only)'),
  pp: positiveInt.optional().describe('Pipeline-parallel size; omitted: 1'),
  cp: positiveInt.optional().describe('Context-parallel size; omitted: 1'),
  zero: z.number().int().min(0).max(3).optional().describe('ZeRO stage of the data-parallel ranks; omitted: searched'),
  globalBatch: positiveInt.optional().describe('Sequences per optimizer step; omitted: one micro-batch per data-parallel rank'),
  measured: z
    .strictObject({
      memoryGiB: positive.optional().describe('Peak GPU memory per GPU, GiB'),
      memoryMetric,
      tokensPerSecondPerGpu: positive.optional(),
    })
    .describe('What the source measured (at least one of memoryGiB, tokensPerSecondPerGpu)'),
  notes,
});
export type FinetuneRow = z.output<typeof FinetuneRowSchema>;

export const FinetuneSetSchema = measuredSetSchema(
  FinetuneRowSchema,
  'Fine-tuning software the rows were measured with',
  'Measured fine-tuning memory and throughput from one source, for validating the fine-tuning model',
);
export type FinetuneSet = z.output<typeof FinetuneSetSchema>;

// ------------------------------------------------------------------------------------------ run file

/** Turns a pure parser's result into a zod transform. */
function parsedWith<T>(parse: (text: string) => Parsed<T>) {
  return (value: string, ctx: z.RefinementCtx): T => {
    const r = parse(value);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.reason });
      return z.NEVER;
    }
    return r.value;
  };
}

/**
 * A run-file value read with the grammar of its flag: a YAML number is parsed as its text, so 7e9,
 * "7B", "7b" and "7,000,000,000" agree, and --max-days 30 and `maxDays: 30` mean the same.
 */
function flagGrammar(parse: (text: string) => Parsed<number>, example: string) {
  return z.union([z.number(), z.string()], { error: `a number or a string such as ${example}` }).transform((v, ctx) => parsedWith(parse)(String(v), ctx));
}
const runCount = flagGrammar(parseCount, '"175B" or "1.5k"');
const runInt = flagGrammar(parsePositiveInt, '"4096" or "4k"');
const runNonNegativeInt = flagGrammar(parseNonNegativeInt, '0 or 3');
const runNumber = flagGrammar(parsePositiveNumber, '"150" or "1.5k"');
const runNonNegative = flagGrammar(parseNonNegativeNumber, '0 or 350');
const runMoney = flagGrammar(parseMoney, '"$1.48" or "$5M"');
const runDuration = flagGrammar((t) => parseDuration(t), '"30min" or "3mo"');

/**
 * A run file (`--config run.yaml`, or `gpucost.yaml` in the current directory): the inputs of an
 * estimate or comparison, checked into a repository. Keys are the flags' names in camelCase;
 * flags given on the command line override them.
 */
export const RunFileSchema = z
  .strictObject({
    scenario: z.string().optional().describe('Scenario claim to start from, e.g. gpt3-article:A6'),
    model: z.string().min(1).optional().describe('Model preset id, or a path to a Hugging Face config.json'),
    gpu: z
      .union([id, z.array(id).min(1)], { error: 'a GPU id or a list of ids' })
      .optional()
      .describe('GPU preset id (a list for compare)'),
    gpus: z
      .union([positiveInt, z.array(positiveInt).min(1), z.string().transform(parsedWith(parseCountList))], {
        error: 'a GPU count, a list of counts, or a string such as "8..4096" or "8,64,512"',
      })
      .optional()
      .describe('GPU count; a list or a range such as "8..4096" for compare'),
    tokens: runCount.optional(),
    params: runCount.optional(),
    tflops: runNumber.optional().describe('Sustained TFLOP/s per GPU, in the --flops convention'),
    mfu: flagGrammar(parseFraction, '0.4 or "40%"').optional(),
    precision: z.enum(PRECISIONS).optional(),
    flops: z.enum(FLOPS_CONVENTIONS).optional(),
    price: runMoney.optional().describe('USD per GPU-hour'),
    scaling: z.string().transform(parsedWith(parseScaling)).optional().describe('linear, efficiency:0.9[@8] or model'),
    layers: runInt.optional(),
    dModel: runInt.optional(),
    heads: runInt.optional(),
    kvHeads: runInt.optional(),
    dHead: runInt.optional(),
    ffn: runInt.optional(),
    seqLen: runInt.optional(),
    vocab: runInt.optional(),
    mlp: z.enum(MLP_KINDS).optional(),
    experts: runInt.optional().describe('Routed experts per MoE layer (--experts)'),
    topK: runInt.optional().describe('Routed experts per token (--top-k)'),
    expertFfn: runInt.optional().describe('Hidden size of one expert (--expert-ffn)'),
    sharedExperts: runNonNegativeInt.optional().describe('Shared experts (--shared-experts)'),
    denseLayers: runNonNegativeInt.optional().describe('Leading dense layers (--dense-layers)'),
    moeEvery: runInt.optional().describe('Every n-th layer after the dense ones is MoE (--moe-every)'),
    slidingWindow: runInt.optional().describe('Sliding-window attention of this many positions (--sliding-window)'),
    slidingLayers: runInt.optional().describe('Layers that use the sliding window (--sliding-layers)'),
    provider: id.optional().describe('Price list preset for the rental price (--provider)'),
    priceTier: z.enum(PRICE_TIERS).optional().describe('Rental tier with provider (--price-tier)'),
    owned: z.boolean().optional().describe('Owned hardware: amortised purchase price plus energy (--owned)'),
    hardwarePrice: runMoney.optional().describe('With owned: purchase price per GPU with server and network share, USD'),
    depreciationYears: flagGrammar((t) => parseDurationIn(t, 'y'), '5 or "60mo"')
      .optional()
      .describe("With owned: straight-line years instead of Epoch AI's 0.14 orders of magnitude a year"),
    pue: flagGrammar(parsePue, '1.1').optional().describe('Power usage effectiveness'),
    kwhPrice: runMoney.optional().describe('Electricity price, USD per kWh'),
    powerPerGpu: runNumber.optional().describe('Average power per GPU with its server share, before PUE, W'),
    grid: id.optional().describe('Grid carbon-intensity preset (--grid)'),
    gridGco2Kwh: runNonNegative.optional().describe('Grid carbon intensity, gCO2e per kWh'),
    reliability: z.boolean().optional().describe('Add expected interruptions and checkpoint stalls (--reliability)'),
    failureRate: runNumber.optional().describe('Interruptions per GPU-hour'),
    restartTime: runDuration.optional().describe('e.g. "5min"'),
    checkpointInterval: runDuration.optional().describe('e.g. "30min"'),
    checkpointTime: runDuration.optional().describe('Training stall per checkpoint, e.g. "30s"'),
    mfuRange: z.string().transform(parsedWith(parseFractionRange)).optional().describe('MFU range behind low/high, e.g. "0.3..0.5"'),
    finetune: z.enum(FINETUNE_MODES).optional().describe('Fine-tuning: full, lora or qlora (--finetune)'),
    loraRank: runInt.optional().describe('Adapter rank (--lora-rank)'),
    loraTargets: z.enum(LORA_TARGETS).optional().describe('Layers with adapters (--lora-targets)'),
    loraDropout: flagGrammar(parseProbability, '0.05 or "5%"').optional().describe("PEFT's dropout on each adapter's input (--lora-dropout)"),
    quant: z.enum(BASE_QUANTS).optional().describe('How QLoRA stores the frozen base (--quant)'),
    bnbLegacy: z.boolean().optional().describe('QLoRA on bitsandbytes before 0.43.2, whose 4-bit layers keep their inputs (--bnb-legacy)'),
    peftPrepare: z
      .boolean()
      .optional()
      .describe("QLoRA prepared by PEFT's prepare_model_for_kbit_training, activations 32-bit (--peft-prepare, the default; false: --no-peft-prepare)"),
    optimizer: z.enum(FINETUNE_OPTIMIZERS).optional().describe('Fine-tuning optimizer (--optimizer)'),
    datasetTokens: runCount.optional().describe('Fine-tuning data: tokens in the dataset, one pass (--dataset-tokens, × epochs)'),
    examples: runCount.optional().describe('Fine-tuning data: examples (--examples, with avgLen)'),
    avgLen: runCount.optional().describe('Fine-tuning data: average tokens per example (--avg-len)'),
    epochs: runNumber.optional().describe('Fine-tuning data: passes over it (--epochs)'),
    padded: z.boolean().optional().describe('Pad each example to seqLen instead of packing (--padded)'),
    loss: z.enum(LOSS_KINDS).optional().describe('How the loss meets the logits: full, upcast, chunked or fused (--loss)'),
    kernels: z.enum(ACTIVATION_KERNELS).optional().describe("The framework's kernels, for memory and attention speed: eager or fused (--kernels)"),
    perf: z.enum(PERF_MODES).optional().describe('Throughput from peak × utilisation (mfu) or the step-time model (model) (--perf)'),
    cluster: id.optional().describe('Cluster preset: node size and links (--cluster)'),
    tp: runInt.optional().describe('Tensor-parallel size (--tp)'),
    pp: runInt.optional().describe('Pipeline stages (--pp)'),
    dp: runInt.optional().describe('Data-parallel size (--dp)'),
    cp: runInt.optional().describe('Context-parallel size (--cp)'),
    ep: runInt.optional().describe('Expert-parallel size (--ep)'),
    virtualStages: runInt.optional().describe('Model chunks per pipeline stage (--virtual-stages)'),
    microBatch: runInt.optional().describe('Sequences per micro-batch (--micro-batch)'),
    globalBatch: runInt.optional().describe('Sequences per optimizer step (--global-batch)'),
    zero: z.number().int().min(0).max(3).optional().describe('ZeRO stage 0-3 (--zero)'),
    recompute: z.enum(RECOMPUTE_MODES).optional().describe('Activation recomputation (--recompute)'),
    attention: z.enum(ATTENTION_KERNELS).optional().describe('Attention kernel: flash or eager (--attention)'),
    gradBucketMib: runNumber
      .optional()
      .describe('Data-parallel gradient bucket, MiB of 16-bit gradients, one collective each across nodes (--grad-bucket-mib)'),
    gradReduceFp32: z.boolean().optional().describe('Gradients accumulated and reduced in FP32, 4 bytes each (--grad-reduce-fp32)'),
    gates: z
      .strictObject({
        maxCost: runMoney.optional().describe('USD'),
        maxDays: flagGrammar((t) => parseDurationIn(t, 'd'), '30 or "4w"')
          .optional()
          .describe('Days (a bare number) or a duration such as "4w"'),
        maxGpuHours: runCount.optional(),
        failIfOom: z.boolean().optional(),
        failIfInfeasible: z.boolean().optional().describe('Exit 1 when a row carries an error-level check (--fail-if-infeasible)'),
        gateAt: z
          .enum(RANGE_ENDS)
          .optional()
          .describe('Compare maxCost, maxDays and maxGpuHours with the estimate (mid) or the slow, costly end of its range (high) (--gate-at)'),
      })
      .optional()
      .describe('CI gates: exit 1 when a row exceeds one'),
  })
  .describe('gpucost run file');

export const PRESET_KINDS = {
  gpus: GpuPresetSchema,
  models: ModelPresetSchema,
  scenarios: ScenarioPresetSchema,
  clusters: ClusterPresetSchema,
  prices: PricePresetSchema,
  grids: GridPresetSchema,
  runs: RunPresetSchema,
  throughput: ThroughputSetSchema,
  finetune: FinetuneSetSchema,
} as const;
export type PresetKind = keyof typeof PRESET_KINDS;
