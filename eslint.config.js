// Process boundaries, enforced mechanically (DESIGN.md "Layout"): the renderer and shared code
// never reach Node or Electron, and only three files of the Node side may import Electron.
import tseslint from 'typescript-eslint';

const electronOnly = {
  paths: [{ name: 'electron', message: 'Only electron/main.ts, preload.ts and ipc.ts may import electron.' }],
  patterns: [{ group: ['electron/*'], message: 'Only electron/main.ts, preload.ts and ipc.ts may import electron.' }],
};
const webSide = {
  paths: electronOnly.paths,
  patterns: [
    ...electronOnly.patterns,
    { group: ['node:*'], message: 'renderer/ and shared/ run in the browser too: no Node built-ins.' },
    {
      group: ['fs', 'path', 'os', 'crypto', 'child_process', 'stream', 'url', 'util', 'worker_threads', 'better-sqlite3'],
      message: 'renderer/ and shared/ run in the browser too: no Node modules.',
    },
    { group: ['**/electron/**', '../electron/*'], message: 'renderer/ and shared/ talk to the Node side only through the contract.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.cache/', 'test-output/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/ipc.ts'],
    rules: { 'no-restricted-imports': ['error', electronOnly] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', webSide] },
  },
);
