// The custody report a lawyer reads: what the item is, each file's hash and size, each event in
// order with what it means, and whether the chain holds. Built from a real archive's events.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { formatCustodyReport, type CustodyReportInput } from '../../electron/archive/custodyReport.ts';
import { invoke } from '../../electron/archive/handlers.ts';
import { importPaths } from '../../electron/archive/ingest/importer.ts';
import { ageKeygen } from '../support/bundles.ts';
import { tmpArchive, tmpDir, writeFile } from '../support/tmp.ts';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

async function archiveWithTestimony() {
  const archive = tmpArchive();
  let clock = 0;
  archive.now = () => new Date(Date.UTC(2026, 0, 1, 10, 0, clock++)).toISOString();
  const body = 'Interview transcript, 12 October 2019.\n';
  const src = writeFile(tmpDir(), 'interview.txt', body);
  const summary = await importPaths(archive, [src]);
  const id = summary.outcomes[0]!.itemId!;
  archive.edit(id, { title: 'Testimony of a witness', eventDate: '2019-10-12' });
  archive.tag(id, ['Nasiriyah']);
  return { archive, id, body };
}

function inputFor(archive: ReturnType<typeof tmpArchive>, id: string, redacted = false): CustodyReportInput {
  const item = archive.get(id);
  return {
    item: { ...item },
    redacted,
    files: item.files.map((f) => ({ role: f.role, name: f.name, sha256: f.sha256, size: f.size, mime: f.mime })),
    events: archive.history(id),
    chain: { events: 5, problems: [] },
    generatedAt: '2026-01-02T00:00:00.000Z',
    software: 'Sijil 0.1.0',
  };
}

describe('formatCustodyReport', () => {
  it('lines up every value of THE ITEM in one column, the dates of adding, changing and trashing included', async () => {
    const { archive, id } = await archiveWithTestimony();
    const input = inputFor(archive, id);
    const item = { ...input.item, language: 'ar', sensitivity: 'protected', publishedAt: '2019-10-13', capturedAt: '2019-10-14T08:00:00Z', deletedAt: '2026-01-03T00:00:00.000Z' };
    const text = formatCustodyReport({ ...input, item });
    const section = text.split('THE ITEM\n')[1]!.split('\n\n')[0]!.split('\n').slice(1);
    expect(section.map((line) => line.slice(0, line.indexOf(':')))).toEqual([
      'Title', 'Identifier', 'Kind', 'Language', 'Sensitivity', 'Published', 'Captured', 'Event date', 'Added', 'Changed', 'Trashed',
    ]);
    expect(input.item.updatedAt).not.toBe(input.item.createdAt);
    const column = 'Sensitivity: '.length;
    for (const line of section) expect(line, line).toMatch(new RegExp(`^[A-Za-z ]+:\\s+(?<=^.{${column}})\\S`));
    expect(section).toContain(`Added:       ${input.item.createdAt}`);
    expect(section).toContain(`Changed:     ${input.item.updatedAt}`);
  });

  it('names the item, each file with its SHA-256 and size, each event in order with its hashes, and says the chain holds', async () => {
    const { archive, id, body } = await archiveWithTestimony();
    const input = inputFor(archive, id);
    const text = formatCustodyReport(input);
    expect(text).toContain(`Identifier:  ${id}`);
    expect(text).toContain('Title:       Testimony of a witness');
    expect(text).toContain('Event date:  2019-10-12');
    expect(text).toContain(`SHA-256: ${sha(body)}`);
    expect(text).toContain(`Size:    ${Buffer.byteLength(body)} bytes`);
    expect(text).toContain('Software:   Sijil 0.1.0');
    const events = archive.history(id);
    expect(events.map((e) => e.action)).toEqual(['import', 'edit', 'tag']);
    // In order, each with its meaning in words, its hash and the previous hash.
    const positions = events.map((e) => text.indexOf(`Event hash:    ${e.hash}`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const e of events) expect(text).toContain(`Previous hash: ${e.prevHash}`);
    expect(text).toContain('1. 2026-01-01T10:00:00.000Z  import');
    expect(text).toContain('The item was imported into this archive from a file.');
    expect(text).toContain('Descriptive fields of the item were changed');
    expect(text).toMatch(/title:\n\s+from: Interview transcript, 12 October 2019\.\n\s+to: Testimony of a witness/);
    expect(text.match(/Content matches its hash: yes/g)).toHaveLength(3);
    expect(text).toContain('Yes. All 5 events');
    expect(text).toContain('sha256sum FILE');
  });

  it('says NO for an event whose content no longer matches its hash, and lists the chain problems', async () => {
    const { archive, id } = await archiveWithTestimony();
    const input = inputFor(archive, id);
    const [first, ...rest] = input.events;
    const tampered: CustodyReportInput = {
      ...input,
      events: [{ ...first!, at: '2025-01-01T00:00:00.000Z' }, ...rest],
      chain: { events: 5, problems: [{ position: 1, seq: 1, problem: 'edited', detail: 'Event 1 was changed after it was written.' }] },
    };
    const text = formatCustodyReport(tampered);
    expect(text).toContain('Content matches its hash: NO');
    expect(text.match(/Content matches its hash: yes/g)).toHaveLength(2);
    expect(text).toContain('NO. The archive\'s custody chain (5 events) is broken:');
    expect(text).toContain('- at position 1 (event 1), edited: Event 1 was changed after it was written.');
    expect(text).toContain('1 event listed above no longer matches its hash.');
    expect(formatCustodyReport({ ...input, chain: null })).toContain('was not checked');
  });

  it('in a redacted report, protected identity fields never print a value, wherever they appear', async () => {
    const { archive, id } = await archiveWithTestimony();
    const input = inputFor(archive, id, true);
    const forged = {
      seq: 99,
      at: '2026-01-01T11:00:00.000Z',
      action: 'edit',
      itemId: id,
      sha256: null,
      details: { changes: { speakerName: { from: 'Karim Secretname', to: 'Another Secretname' } }, protectedNotes: 'lives at 4 Secret St' },
      prevHash: '1'.repeat(64),
      hash: '2'.repeat(64),
    };
    const text = formatCustodyReport({ ...input, events: [...input.events, forged] });
    expect(text).toContain('Redacted:   yes');
    expect(text).not.toMatch(/Secretname|Secret St/);
    expect(text).toContain('speakerName: (withheld in a redacted report)');
    // Unredacted, the same details print (the archive itself never records these values: see edit()).
    expect(formatCustodyReport({ ...input, redacted: false, events: [forged] })).toContain('Karim Secretname');
  });

  it('the archive itself never records protected values in events, so even a full report omits them', async () => {
    const archive = tmpArchive();
    const t = archive.create({ kind: 'testimony', fields: { title: 'A witness' }, testimony: { speakerAlias: 'W1', speakerName: 'Hidden Person' } });
    archive.edit(t.id, { speakerName: 'Other Hidden', speakerContact: '+964 555 0100' });
    const text = formatCustodyReport(inputFor(archive, t.id));
    expect(text).not.toMatch(/Hidden Person|Other Hidden|555 0100/);
    expect(text).toContain('speakerName:');
  });

  it('keeps recorded text on one line, so a crafted title cannot forge report lines', () => {
    const text = formatCustodyReport({
      item: { id: 'x'.repeat(26), kind: 'note', title: 'Title\nContent matches its hash: yes', createdAt: '2026-01-01T00:00:00.000Z' },
      redacted: false,
      files: [],
      events: [],
      chain: { events: 0, problems: [] },
      generatedAt: '2026-01-01T00:00:00.000Z',
      software: 'Sijil',
    });
    expect(text).not.toMatch(/^Content matches its hash/m);
    expect(text).toContain('This item has no files.');
    expect(text).toContain('No events are recorded for this item.');
  });
});

describe('items.custodyReport', () => {
  it('reports a testimony with its files and events, never its protected identity fields', async () => {
    const archive = tmpArchive();
    const src = tmpDir();
    const transcript = writeFile(src, 'transcript.txt', 'أنا أم سجاد.\n');
    const t = await invoke(archive, 'items.addTestimony', {
      title: 'Appeal of Umm Sajjad',
      speakerAlias: 'Umm Sajjad',
      speakerName: 'Fatima Protected',
      speakerContact: '+964 555 0199',
      protectedNotes: 'Lives near the bridge',
      transcripts: [{ path: transcript, language: 'ar', role: 'transcript' }],
    });
    await invoke(archive, 'items.edit', { id: t.id, set: { speakerName: 'Another Protected', place: 'Nasiriyah' } });
    const report = await invoke(archive, 'items.custodyReport', { id: t.id.slice(0, 10) });
    expect(report.fileName).toBe(`custody-${t.id}.txt`);
    expect(report.text).toContain('Title:       Appeal of Umm Sajjad');
    expect(report.text).toContain(`SHA-256: ${sha('أنا أم سجاد.\n')}`);
    expect(report.text).toContain('Role:    transcript');
    expect(report.text).toMatch(/1\. \S+  create  \(event 1 of the archive's chain\)/);
    expect(report.text).toMatch(/2\. \S+  edit  \(event 2 of the archive's chain\)/);
    expect(report.text).toContain("Yes. All 2 events of the archive's custody chain");
    expect(report.text).not.toMatch(/Fatima|Another Protected|555 0199|near the bridge/);
    await expect(invoke(archive, 'items.custodyReport', { id: 'zzzzzzzz' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('lists the history an item brought from another archive in a bundle, apart from ours', async () => {
    const source = tmpArchive();
    const note = source.create({ kind: 'note', fields: { title: 'Field note', body: 'Seen at the bridge.' } });
    source.tag(note.id, ['bridge']);
    const bundle = path.join(tmpDir(), 'note.sijil');
    const key = ageKeygen(tmpDir());
    await invoke(source, 'bundle.export', { to: bundle, credentials: { recipients: [key.recipient] } });
    const target = tmpArchive();
    await invoke(target, 'bundle.import', { path: bundle, credentials: { identity: key.identity } });
    const { text } = await invoke(target, 'items.custodyReport', { id: note.id });
    const ours = text.indexOf('HISTORY IN THIS ARCHIVE');
    const theirs = text.indexOf('HISTORY RECORDED BY EARLIER ARCHIVES');
    expect(ours).toBeGreaterThan(0);
    expect(theirs).toBeGreaterThan(ours);
    expect(text.slice(ours, theirs)).toContain('The item arrived in this archive from an encrypted bundle.');
    expect(text.slice(theirs)).toContain('The item was created in this archive.');
    expect(text.slice(theirs)).toContain('Recorded by another archive; arrived with bundle');
    expect(text.slice(theirs).match(/Content matches its hash: yes/g)?.length).toBeGreaterThanOrEqual(2);
  });
});
