/**
 * Reading and checking option values: the shape of a flag of `npm run sandbox`, and the parsers and
 * checks that the shared options and every fake's own options use alike.
 */

/** A flag of `npm run sandbox`: `--name VALUE` (or `--name=VALUE`), or `--name` alone when it takes no value. */
export interface FlagDefinition<O> {
  name: string;
  /** What the value looks like in --help (`N`, `LIST`); absent for a flag that takes none. */
  value?: string;
  help: string;
  /** Sets the options the flag stands for; throws with a readable message on a bad value. */
  apply(options: O, value: string): void;
}

export function number(flag: string, value: string, { min = -Infinity, max = Infinity, integer = false } = {}): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new Error(
      `--${flag} expects ${integer ? 'an integer' : 'a number'}${min > -Infinity ? ` >= ${min}` : ''}${max < Infinity ? ` <= ${max}` : ''}, got "${value}"`,
    );
  }
  return n;
}

/** A comma-separated list, each item one of `allowed`. */
export function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) if (!(allowed as readonly string[]).includes(item)) throw new Error(`--${flag}: "${item}" is not one of ${allowed.join(', ')}`);
  return items as T[];
}

/** An option that is a share: between 0 and 1, default 0. */
export function share(name: string, value: number | undefined): number {
  const v = value ?? 0;
  if (!(v >= 0 && v <= 1)) throw new Error(`${name} must be between 0 and 1, got ${value}`);
  return v;
}
