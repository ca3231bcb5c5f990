// Small, dependency-free statistics for benchmark samples.

export interface Summary {
	n: number;
	min: number;
	p50: number;
	p95: number;
	max: number;
	mean: number;
}

/** Linear-interpolated percentile (p in 0..100) of unsorted values; NaN when empty. */
export function percentile(values: number[], p: number): number {
	if (!values.length) return NaN;
	const s = [...values].sort((a, b) => a - b);
	const idx = ((s.length - 1) * p) / 100;
	const lo = Math.floor(idx);
	const hi = Math.ceil(idx);
	return s[lo] + (s[hi] - s[lo]) * (idx - lo);
}

export function summarize(values: number[]): Summary {
	const n = values.length;
	return {
		n,
		min: n ? Math.min(...values) : NaN,
		p50: percentile(values, 50),
		p95: percentile(values, 95),
		max: n ? Math.max(...values) : NaN,
		mean: n ? values.reduce((a, b) => a + b, 0) / n : NaN,
	};
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
	const n = xs.length;
	if (n < 2) return NaN;
	const mx = xs.reduce((a, b) => a + b, 0) / n;
	const my = ys.reduce((a, b) => a + b, 0) / n;
	let num = 0;
	let den = 0;
	for (let i = 0; i < n; i++) {
		num += (xs[i] - mx) * (ys[i] - my);
		den += (xs[i] - mx) ** 2;
	}
	return den === 0 ? NaN : num / den;
}

export function round(value: number, digits = 2): number {
	if (!Number.isFinite(value)) return value;
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}
