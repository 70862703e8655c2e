/** The default branch of an exhaustive switch: a type error if a case is missing. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
