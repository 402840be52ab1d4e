// Property tests use a fixed seed so that a test run is repeatable, in CI above all; FC_SEED=… explores others.
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 424_242) });
