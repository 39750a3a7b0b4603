// What a benchmark suite is: a name, the options it accepts, and a run function that prints its
// tables and returns a JSON-able result (run.ts writes it to test-output/bench/<name>.json).

export interface SuiteOptions {
  /** An integer option, `--name N`; `fallback` when absent. */
  int(name: string, fallback: number): number;
  /** A boolean option, `--name` (or `--name=false`). */
  flag(name: string): boolean;
  /** A string option, `--name value`. */
  string(name: string, fallback: string): string;
}

export interface SuiteContext {
  readonly options: SuiteOptions;
  /** Where the suite may leave files worth keeping (profiles, samples); test-output/bench. */
  readonly outDir: string;
}

export interface Suite {
  /** One line for `npm run bench -- --help`. */
  readonly description: string;
  /** The options this suite understands, with their help text (`--docs N` → { docs: '...' }). */
  readonly options: Readonly<Record<string, string>>;
  run(ctx: SuiteContext): Promise<object>;
}
