// A module that test/extension/build.ts generates at bundle time from test/extension/suite/*.test.ts.
declare module 'virtlab:extension-tests' {
  /** require()s every test module of the suite, in file-name order. */
  export function loadTests(): void;
}

// The results file, baked in by test/extension/build.ts (the runner has no other channel to get it).
declare const VIRTLAB_RESULTS_FILE: string;
