// Least-absolute-deviation fits, and the error summaries and tables of the floor scripts
// (scripts/runs-, throughput- and finetune-accuracy-floor): pure functions but the printer, tested in
// tests/scripts/lad-fit.test.ts.

// Least absolute deviations by iteratively reweighted least squares: the fit that minimises the
// median-like error issue 17 scores, so the floor is not an artefact of squaring the residuals.
export function fitL1(X, y) {
  let weights = y.map(() => 1);
  let w = weightedLeastSquares(X, y, weights);
  for (let iteration = 0; iteration < 200; iteration++) {
    weights = residuals(X, y, w).map((r) => 1 / Math.max(Math.abs(r), 1e-6));
    w = weightedLeastSquares(X, y, weights);
  }
  return w;
}

function weightedLeastSquares(X, y, weights) {
  const p = X[0].length;
  const a = Array.from({ length: p }, () => new Array(p + 1).fill(0));
  X.forEach((x, i) => {
    for (let r = 0; r < p; r++) {
      for (let c = 0; c < p; c++) a[r][c] += weights[i] * x[r] * x[c];
      a[r][p] += weights[i] * x[r] * y[i];
    }
  });
  for (let r = 0; r < p; r++) a[r][r] += 1e-9; // a feature absent from a subset stays solvable
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= p; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((row, i) => row[p] / row[i]);
}

/** A design-matrix row: the intercept, then the values of the first `k` features after the first (a [label, values] list whose first is the intercept's). */
export function designRow(features, k, item) {
  return [1, ...features.slice(1, k + 1).flatMap(([, f]) => f(item).map(Number))];
}

/**
 * |predicted ÷ measured − 1| of corrected predictions from log(measured ÷ corrected) residuals,
 * ascending, and `at(q)`, their q-th order statistic (not interpolated).
 */
export function absErrorsOf(logResiduals) {
  const errors = logResiduals.map((r) => Math.abs(Math.exp(-r) - 1)).sort((a, b) => a - b);
  return { errors, at: (q) => errors[Math.min(errors.length - 1, Math.ceil(q * errors.length) - 1)] };
}

/** Each row's residual under the fit made without it. */
export function leaveOneOutResiduals(X, y) {
  return y.map((v, i) => {
    const keep = y.map((_, j) => j).filter((j) => j !== i);
    const w = fitL1(
      keep.map((j) => X[j]),
      keep.map((j) => y[j]),
    );
    return v - dot(X[i], w);
  });
}

/**
 * Coordinate search from `w` for the weights that minimise `objective`, with steps halving from 0.2
 * to 0.001. For objectives with corners (a percentile, a count) where least absolute deviations do
 * not aim: it finds a good point, not surely the best.
 */
export function coordinateSearch(w, objective) {
  let best = objective(w);
  for (let step = 0.2; step > 1e-3; step /= 2) {
    for (let improved = true, sweeps = 0; improved && sweeps < 50; sweeps++) {
      improved = false;
      for (let i = 0; i < w.length; i++) {
        for (const d of [step, -step]) {
          const t = w.map((v, j) => (j === i ? v + d : v));
          const f = objective(t);
          if (f < best) [w, best, improved] = [t, f, true];
        }
      }
    }
  }
  return w;
}

/** Prints a floor table: Markdown, or for a terminal columns of `widths` (the first, the others). */
export function printTable(title, header, body, markdown, widths) {
  if (markdown) {
    console.log(`${title}\n\n| ${header.join(' | ')} |\n|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    for (const b of body) console.log(`| ${b.join(' | ')} |`);
    console.log('');
    return;
  }
  console.log(title);
  for (const b of [header, ...body])
    console.log(
      `  ${b[0].padEnd(widths[0])}${b
        .slice(1)
        .map((x) => x.padStart(widths[1]))
        .join('')}`,
    );
}

export function residuals(X, y, w) {
  return y.map((v, i) => v - dot(X[i], w));
}

export function dot(x, w) {
  return x.reduce((s, v, i) => s + v * w[i], 0);
}

// Residuals are log(implied ÷ fitted utilisation); predicted GPU-hours ÷ published − 1 = exp(r) − 1.
export function summarise(logResiduals) {
  const errors = logResiduals.map((r) => Math.exp(r) - 1);
  const sorted = [...logResiduals].sort((a, b) => a - b);
  const covered = Math.ceil(0.9 * sorted.length);
  let width = Number.POSITIVE_INFINITY;
  for (let i = 0; i + covered - 1 < sorted.length; i++) {
    width = Math.min(width, Math.exp(sorted[i + covered - 1] - sorted[i]));
  }
  return {
    medianAbs: median(errors.map(Math.abs)),
    worst: Math.max(...errors.map(Math.abs)),
    medianSigned: median(errors),
    width90: width,
  };
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
