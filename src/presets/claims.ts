/** Quantities a scenario claim can state, with their units (kept out of schema.ts so it loads no zod). */
export const CLAIM_QUANTITIES = {
  costUsd: 'USD',
  gpuHours: 'GPU-hours',
  gpuYears: 'GPU-years',
  wallClockDays: 'days',
  wallClockMonths: 'months',
  wallClockYears: 'years',
} as const;
export type ClaimQuantity = keyof typeof CLAIM_QUANTITIES;
