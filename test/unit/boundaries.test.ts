// The process boundaries hold mechanically: the lint rule refuses an import across them.
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root });

async function importErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('process boundaries', () => {
  it.each([
    ['shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    ['shared/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['shared/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n"],
    ['renderer/x.tsx', "import path from 'path';\nexport const a = path;\n"],
    ['renderer/x.ts', "import { Archive } from '../electron/archive/index.ts';\nexport const a = Archive;\n"],
    ['electron/archive/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/cli.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n"],
  ])('refuses %s importing across the boundary', async (file, source) => {
    expect(await importErrors(file, source)).not.toEqual([]);
  });

  it.each([
    ['electron/main.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/preload.ts', "import { contextBridge } from 'electron';\nexport const a = contextBridge;\n"],
    ['electron/ipc.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n"],
    ['electron/archive/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    ['shared/x.ts', "import { z } from 'zod';\nexport const a = z;\n"],
  ])('lets %s import what its side may', async (file, source) => {
    expect(await importErrors(file, source)).toEqual([]);
  });
});
