/** Number formats of the benchmark's printed lines. */

export const mib = (bytes: number | undefined): string => (bytes === undefined ? '?' : `${(bytes / 1024 / 1024).toFixed(0)} MiB`);

export const num = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '?' : Math.round(n).toLocaleString('en-US'));

export const fixed = (n: number | undefined, digits = 2): string => (n === undefined || Number.isNaN(n) ? '?' : n.toFixed(digits));

export const percent = (share: number | undefined): string => (share === undefined || Number.isNaN(share) ? '?' : `${(share * 100).toFixed(1)}%`);
