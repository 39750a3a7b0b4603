// The process the stress runs kill: opens an archive, says "ready" once its code is loaded (so the
// parent's random delay falls in the work, not in Node's start-up), then runs one operation.
//   node test/stress/child.ts import ARCHIVE FOLDER
//   node test/stress/child.ts export ARCHIVE BUNDLE        (to SIJIL_STRESS_RECIPIENT)
//   node test/stress/child.ts import-bundle ARCHIVE BUNDLE (with SIJIL_STRESS_IDENTITY)
import { exportBundle } from '../../electron/archive/bundle/export.ts';
import { importBundle } from '../../electron/archive/bundle/importBundle.ts';
import { Archive } from '../../electron/archive/index.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';

const [op, archiveDir, target] = process.argv.slice(2);
if (!op || !archiveDir || !target) {
  process.stderr.write('usage: child.ts import|export|import-bundle ARCHIVE PATH\n');
  process.exit(2);
}

// Loaded ahead, as a long-running app would have them: the kill should land in the work.
await import('../../electron/archive/ingest/text.ts');
const archive = Archive.open(archiveDir);
process.stdout.write('ready\n');

let result: unknown;
switch (op) {
  case 'import': {
    const summary = await importPaths(archive, [target]);
    result = { imported: summary.imported, duplicates: summary.duplicates, skipped: summary.skipped };
    break;
  }
  case 'export': {
    const recipient = process.env.SIJIL_STRESS_RECIPIENT ?? '';
    const done = await exportBundle(archive, {
      selection: {},
      to: target,
      encryption: { options: { recipients: [recipient] }, record: { method: 'recipients', recipients: [recipient] } },
    });
    result = { bundleId: done.bundleId, items: done.items };
    break;
  }
  case 'import-bundle': {
    const done = await importBundle(archive, target, { identities: [process.env.SIJIL_STRESS_IDENTITY ?? ''] });
    result = { items: done.items.length };
    break;
  }
  default:
    process.stderr.write(`unknown operation ${op}\n`);
    process.exit(2);
}
archive.close();
process.stdout.write(`done ${JSON.stringify(result)}\n`);
