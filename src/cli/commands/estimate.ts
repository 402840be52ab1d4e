import { EXPERT_DISPATCHERS, FP8_ATTENTION_GAIN } from '../../core/perf.js';
import { Command, Option } from 'commander';
import { FLOPS_CONVENTIONS, MLP_KINDS, PRECISIONS } from '../../core/enums.js';
import { RECOMPUTE_MODES } from '../../core/parallel.js';
import { ACTIVATION_KERNELS, LOSS_KINDS } from '../../core/memory.js';
import { BASE_QUANTS, FINETUNE_MODES, FINETUNE_OPTIMIZERS, LORA_TARGETS } from '../../core/finetune.js';
import { runEstimate } from '../../api/estimate.js';
import { type EstimateRequest, PERF_MODES } from '../../resolve/estimate.js';
import { ATTENTION_KERNELS } from '../../core/enums.js';
import { type CommonOptions, Context } from '../context.js';
import { addConflictChecks } from '../conflicts.js';
import { addCommonOptions, TEXT_FORMATS } from '../common-options.js';
import { addGateOptions, applyGates, type GateOptions, reportGateFailures } from '../gates.js';
import { prepareRequest } from '../model-input.js';
import { DEFAULT_RUN_FILE, mergeRunFile } from '../run-file.js';
import { addMoneyOptions } from '../money-options.js';
import {
  countList,
  shortDuration,
  fraction,
  probability,
  idList,
  nonNegativeInt,
  oneOf,
  positiveCount,
  positiveInt,
  positiveNumber,
  scaling,
  usd,
  zeroStage,
} from '../options.js';

type EstimateOptions = CommonOptions & EstimateRequest & GateOptions;

/** Fine-tuning: the mode, the adapters, the base's storage, the optimizer and the data (issue 20). */
export function addFinetuneOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--finetune <mode>', `fine-tuning: ${FINETUNE_MODES.join(', ')} (LoRA and QLoRA freeze the base and train adapters)`).argParser(
        oneOf(FINETUNE_MODES),
      ),
    )
    .option('--lora-rank <r>', "fine-tuning: adapter rank (default 64, the QLoRA paper's)", positiveInt)
    .option(
      '--lora-dropout <p>',
      "fine-tuning: PEFT's dropout on each adapter's input, e.g. 0.05 (default 0): keeps a copy and a mask of each adapted layer's input",
      probability,
    )
    .addOption(
      new Option('--lora-targets <which>', `fine-tuning: layers with adapters: ${LORA_TARGETS.join(', ')} (default all)`).argParser(oneOf(LORA_TARGETS)),
    )
    .addOption(
      new Option('--quant <kind>', `fine-tuning: how QLoRA stores the frozen base: ${BASE_QUANTS.join(', ')} (default nf4)`).argParser(oneOf(BASE_QUANTS)),
    )
    .option('--bnb-legacy', 'fine-tuning: QLoRA on bitsandbytes before 0.43.2, whose 4-bit layers keep their 16-bit inputs for the backward')
    .option(
      '--peft-prepare',
      "fine-tuning: QLoRA prepared by PEFT's prepare_model_for_kbit_training, as the QLoRA recipe and TRL's SFTTrainer do: fp32 norms make the activations 32-bit (default for QLoRA)",
    )
    .option('--no-peft-prepare', 'fine-tuning: QLoRA with 16-bit activations, as torchtune, LitGPT and Unsloth run it')
    .addOption(
      new Option('--optimizer <kind>', `fine-tuning: ${FINETUNE_OPTIMIZERS.join(', ')} (default paged-adamw for qlora, as its recipe; else adamw)`).argParser(
        oneOf(FINETUNE_OPTIMIZERS),
      ),
    )
    .option('--dataset-tokens <n>', 'fine-tuning data: tokens in the dataset, one pass (× --epochs; replaces --tokens)', positiveCount)
    .option('--examples <n>', 'fine-tuning data: examples (with --avg-len; replaces --tokens)', positiveCount)
    .option('--avg-len <n>', 'fine-tuning data: average tokens per example', positiveCount)
    .option('--epochs <n>', 'fine-tuning data: passes over it (default 1)', positiveNumber)
    .option('--padded', 'fine-tuning data: pad each example to --seq-len (default: packed into --seq-len sequences, or one sequence of --avg-len)');
}

/** Options that describe one training run; shared by estimate and compare (where GPUs are lists). */
export function addRunOptions(cmd: Command, { lists = false } = {}): Command {
  if (lists) {
    cmd
      .option('-g, --gpu <ids>', 'GPU presets, comma-separated (e.g. v100,a100-80gb,h100)', idList)
      .option('-n, --gpus <counts>', 'GPU counts: list or ranges (8,64,512 or 8..4096)', countList);
  } else {
    cmd
      .option('-g, --gpu <id>', 'GPU preset, e.g. a100-80gb, h100, or "local" (detected with nvidia-smi)')
      .option('-n, --gpus <n>', 'number of GPUs', positiveInt);
  }
  cmd
    .option('--scenario <id>', 'start from a scenario claim, e.g. A2 or gpt3-article:A4 ("none" for no scenario)')
    .option('-m, --model <id>', 'model preset (gpucost presets list --kind model), or a Hugging Face config.json')
    .option('--params <n>', 'parameter count, e.g. 175B (alone: an ad-hoc model)', positiveCount)
    .option('-t, --tokens <n>', 'training tokens, e.g. 300B', positiveCount)
    .option('--layers <n>', 'architecture: transformer layers (with --d-model: a new model)', positiveInt)
    .option('--d-model <n>', 'architecture: hidden size', positiveInt)
    .option('--heads <n>', 'architecture: attention heads (default d-model / 128)', positiveInt)
    .option('--kv-heads <n>', 'architecture: key/value heads (grouped-query attention)', positiveInt)
    .option('--d-head <n>', 'architecture: head dimension', positiveInt)
    .option('--ffn <n>', 'architecture: MLP hidden size (default 4 × d-model)', positiveInt)
    .option('--seq-len <n>', 'architecture: training sequence length', positiveInt)
    .option('--vocab <n>', 'architecture: vocabulary size', positiveInt)
    .addOption(new Option('--mlp <kind>', `architecture: MLP kind: ${MLP_KINDS.join(', ')}`).argParser(oneOf(MLP_KINDS)))
    .option('--sliding-window <tokens>', 'architecture: sliding-window attention of this many positions (on every layer, or --sliding-layers)', positiveInt)
    .option('--sliding-layers <n>', 'architecture: layers that use the sliding window (default all; Gemma 3: 5 in 6)', positiveInt)
    .option('--experts <n>', 'mixture of experts: routed experts per MoE layer (makes a dense model MoE)', positiveInt)
    .option('--top-k <n>', 'mixture of experts: routed experts per token (default 1 for a new MoE)', positiveInt)
    .option('--expert-ffn <n>', 'mixture of experts: hidden size of one expert (default --ffn)', positiveInt)
    .option('--shared-experts <n>', 'mixture of experts: experts every token visits besides the routed ones', nonNegativeInt)
    .option('--dense-layers <n>', 'mixture of experts: leading layers with a dense MLP (3 in DeepSeek-V3)', nonNegativeInt)
    .option('--moe-every <n>', 'mixture of experts: every n-th layer after the dense ones is MoE (Llama 4 Maverick: 2)', positiveInt)
    .option('--tflops <x>', 'sustained TFLOP/s per GPU, counted in the --flops convention', positiveNumber)
    .option('--mfu <fraction>', 'fraction of the dense peak sustained, e.g. 0.4 or 40%', fraction)
    .option('--tokens-per-sec <n>', 'throughput measured on your own run: training tokens per second per GPU (re-projects the whole run)', positiveCount)
    .option('--step-time <duration>', 'throughput measured on your own run: time per optimizer step, e.g. 2.5s (with --global-batch)', shortDuration)
    .option('--from-log <file>', "throughput read from your run's log: Megatron-LM, NeMo, TorchTitan or Hugging Face Trainer")
    .addOption(new Option('--precision <p>', `precision of the peak: ${PRECISIONS.join(', ')}`).argParser(oneOf(PRECISIONS)))
    .addOption(new Option('--flops <convention>', `FLOPs convention: ${FLOPS_CONVENTIONS.join(', ')}`).argParser(oneOf(FLOPS_CONVENTIONS)))
    .option('--price <usd>', 'price in USD per GPU-hour', usd)
    .option('--scaling <model>', 'linear (default), efficiency:F[@BASE] (F of throughput kept per doubling beyond BASE=8 GPUs), model', scaling)
    .addOption(
      new Option(
        '--perf <mode>',
        'throughput from: mfu (peak × utilisation) or model (step-time model of the layout); default: model when a layout (--tp, --pp, --dp, --cp, --ep, --virtual-stages, --micro-batch) or LoRA/QLoRA is given, else mfu',
      ).argParser(oneOf(PERF_MODES)),
    )
    .option('--cluster <id>', "cluster preset (node size, links); default: the GPU's own");
  return addKernelOptions(addLayoutOptions(addFinetuneOptions(cmd)));
}

/** The parallel layout and the step-time model's choices for it (--tp … --attention, the MoE options). */
function addLayoutOptions(cmd: Command): Command {
  return cmd
    .option('--tp <n>', 'layout: tensor-parallel size (default: searched)', positiveInt)
    .option('--pp <n>', 'layout: pipeline-parallel size (default: searched)', positiveInt)
    .option('--dp <n>', 'layout: data-parallel size (default: searched)', positiveInt)
    .option('--micro-batch <n>', 'layout: sequences per micro-batch (default: searched)', positiveInt)
    .option('--global-batch <n>', "sequences per optimizer step (default: the model's published batch)", positiveInt)
    .addOption(new Option('--zero <stage>', 'ZeRO stage 0-3 (3 ≈ FSDP; default: searched)').argParser(zeroStage))
    .option('--virtual-stages <n>', 'layout: model chunks per pipeline stage, interleaved schedule (default: searched)', positiveInt)
    .option('--cp <n>', 'layout: context-parallel size, each sequence split over n GPUs (default: searched from 16K tokens)', positiveInt)
    .option('--ep <n>', "layout: expert-parallel size, a mixture of experts' routed experts spread over n GPUs (default: searched)", positiveInt)
    .option('--no-sequence-parallel', 'layout: without Megatron sequence parallelism (on by default when TP > 1)')
    .option(
      '--grad-bucket-mib <n>',
      "step-time model: the data-parallel gradient bucket in MiB of 16-bit gradients, one collective each across nodes (PyTorch DDP and nanotron: 25; default Megatron-Core's max(40M, 1M × DP) parameters)",
      positiveNumber,
    )
    .addOption(
      new Option(
        '--recompute <mode>',
        `activation recomputation: ${RECOMPUTE_MODES.join(', ')} (default: searched among none, selective and full). selective: the attention scores (Megatron-LM); op: TorchTitan's per-op policy, which keeps every other matrix product and attention and recomputes the rest (dense models); full: every layer from its input`,
      ).argParser(oneOf(RECOMPUTE_MODES)),
    )
    .option('--gradient-checkpointing', 'as Hugging Face names it: --recompute full')
    .option('--no-gradient-checkpointing', 'as Hugging Face names it: --recompute none');
}

/** What the framework's kernels do: attention, loss, precision of weights and attention, mixtures of experts. */
function addKernelOptions(cmd: Command): Command {
  return cmd
    .option('--moe-overlap', 'overlap the expert all-to-all with computation, as DeepSeek-V3 (DualPipe) and Megatron-Core can')
    .option(
      '--fp8-params',
      "keep the transformer layers' weights in FP8 between steps, as Transformer Engine's fp8_model_init and Megatron-Core's --fp8-param-gather do: half their memory, and FP8 gathers under ZeRO-3 (needs --precision fp8); with --finetune lora, the frozen base",
    )
    .option(
      '--grad-reduce-fp32',
      "accumulate and reduce gradients in FP32, as Megatron-LM does for every --bf16 run unless --grad-reduce-in-bf16 is given (accumulate_allreduce_grads_in_fp32) and NeMo's grad_reduce_in_fp32: 4 bytes a gradient held and sent, not 2",
    )
    .option(
      '--fp8-attention',
      `run attention's matmuls in FP8 too, as Transformer Engine's FP8 dot-product attention does (NVTE_FP8_DPA; MLPerf's LoRA runs): ${FP8_ATTENTION_GAIN}× its 16-bit rate (needs --precision fp8)`,
    )
    .addOption(
      new Option('--expert-dispatcher <kind>', `how tokens reach their experts: ${EXPERT_DISPATCHERS.join(', ')} (default alltoall)`).argParser(
        oneOf(EXPERT_DISPATCHERS),
      ),
    )
    .option(
      '--expert-imbalance <x>',
      'busiest expert-parallel rank over an even split of tokens (default 1; a capacity factor when tokens are dropped)',
      positiveNumber,
    )
    .option(
      '--capacity-factor <c>',
      'token-dropping MoE: an expert takes at most c times an even share of tokens and drops the rest (caps --expert-imbalance)',
      positiveNumber,
    )
    .addOption(
      new Option('--attention <kernel>', 'attention kernel: flash (fused, default from Ampere on) or eager (materialised scores)').argParser(
        oneOf(ATTENTION_KERNELS),
      ),
    )
    .addOption(
      new Option(
        '--loss <kind>',
        'loss: full (the logits held whole, default), upcast (32-bit logits and a shifted copy: Hugging Face transformers before v4.46), chunked (16-bit logits, upcast a chunk at a time: torchtune) or fused (a fused linear cross-entropy: Liger, Unsloth)',
      ).argParser(oneOf(LOSS_KINDS)),
    )
    .addOption(
      new Option(
        '--kernels <kind>',
        "the framework's kernels, for memory and attention speed: eager (PyTorch modules: Hugging Face, LitGPT, torchtune, TorchTitan, nanotron; FlashAttention-2 through SDPA; the default with --finetune) or fused (Megatron-Core or NeMo with Transformer Engine: a gated MLP keeps its input only, K and V at their own heads, frozen layers no inputs; cuDNN's fused attention; the default for pre-training)",
      ).argParser(oneOf(ACTIVATION_KERNELS)),
    );
}

export function estimateCommand(ctx: Context): Command {
  const cmd = new Command('estimate').description('Time, GPU-hours and cost of one training run.').addHelpText(
    'after',
    `
With no options: GPT-3 175B, 300B tokens, 1024 × A100-80GB at 140 TFLOP/s (Megatron-LM §5.1), 8·N·D FLOPs.
Flags override it; changing the model, GPU or precision drops its measured 140 TFLOP/s for peak × MFU.

Examples:
  gpucost estimate
  gpucost estimate --gpus 2048 --price 1.8
  gpucost estimate --model gpt3-13b --gpu h100 --gpus 64 --mfu 0.45
  gpucost estimate --params 70B --tokens 2T --gpu h100 --gpus 512 --format json
  gpucost estimate --scenario A2          Lambda's 355 V100-years
  gpucost estimate --model ./config.json --tokens 1T --gpu local --gpus 8
  gpucost estimate --layers 80 --d-model 8192 --heads 64 --kv-heads 8 --ffn 28672 --mlp swiglu --vocab 32000 --seq-len 4096 --tokens 2T`,
  );
  addRunOptions(cmd);
  addMoneyOptions(cmd);
  addGateOptions(cmd);
  addCommonOptions(cmd, [...TEXT_FORMATS, 'brief']);
  cmd.option('-c, --config <file>', `run file (YAML) with these options; default: ${DEFAULT_RUN_FILE} in the current directory if present`);
  addConflictChecks(cmd);
  return cmd.action(async (flags: EstimateOptions & { config?: string }) => {
    const { opts, origins } = await mergeRunFile(flags, ctx.io, false);
    const registry = await ctx.registry(opts);
    const req = await prepareRequest({ ...opts, origins, today: ctx.today() }, ctx.io, registry);
    const { report: estimated, record } = runEstimate(req, registry);
    const { report, results } = applyGates(estimated, () => [record], opts);
    await ctx.emit(report, opts);
    reportGateFailures(ctx, results);
  });
}
