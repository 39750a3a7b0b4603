// A second process that keeps writing to an archive: edits an existing item (title and description
// in one transaction, both naming the step) or creates a note, step after step, and logs each
// step once committed, until told to stop. Used by test/integration/concurrent-export.test.ts.
//   node test/stress/writer.ts ARCHIVE LOG STOPFILE
import fs from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Archive } from '../../electron/archive/index.ts';

const [archiveDir, logFile, stopFile] = process.argv.slice(2);
if (!archiveDir || !logFile || !stopFile) {
  process.stderr.write('usage: writer.ts ARCHIVE LOG STOPFILE\n');
  process.exit(2);
}

const archive = Archive.open(archiveDir);
const ids = archive.list({ kind: 'note', limit: 10_000 }).map((i) => i.id);
const log = fs.openSync(logFile, 'a');
for (let step = 1; !fs.existsSync(stopFile) && step < 1_000_000; step++) {
  let entry: { step: number; op: 'edit' | 'create'; id: string };
  if (step % 4 === 0) {
    const item = archive.create({ kind: 'note', fields: { title: `new note v${step}`, description: `v${step}`, body: `created at step ${step}` } });
    entry = { step, op: 'create', id: item.id };
  } else {
    const id = ids[step % ids.length] as string;
    archive.edit(id, { title: `note ${id} v${step}`, description: `v${step}` });
    entry = { step, op: 'edit', id };
  }
  fs.writeSync(log, `${JSON.stringify({ ...entry, at: Date.now() })}\n`);
  await yieldToLoop();
}
fs.closeSync(log);
archive.close();
