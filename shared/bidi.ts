// Bidirectional-text controls in text that came from outside (a saved page, a file's name). Two
// kinds, treated apart, because Arabic is a first-class language here:
// - marks (LRM U+200E, RLM U+200F, ALM U+061C) act as an invisible letter of one direction; Arabic
//   text uses them to place punctuation and numbers, and they can only move neutral characters,
//   as any Arabic letter can. Reading text keeps them all; a file name only some (below).
// - embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) open a level that lasts until
//   a terminator or the end of the paragraph. An override (LRO U+202D, RLO U+202E) reverses even
//   letters: "evil\u202Efdp.exe" shows as "evilexe.pdf". An isolate with a mark can reorder the
//   words of a Latin name as well.
// Subtle: a mark moves the neutral characters next to it, and a neutral moved between two runs of
// Latin letters swaps them. In a name of Latin letters, "\u200Fpdf\u200F.exe" laid out by its first
// strong character (a save dialog, a list with unicode-bidi: plaintext) runs right to left and
// shows as "exe.pdf"; in an Arabic name, "فاتورة-pdf\u200F.\u200Fexe" shows as "exe.pdf-فاتورة".
// No Latin name needs a mark anywhere, and no name needs one inside its extension or among the
// neutrals between its last letter or digit and the extension's dot.
// The rule, for a file name written to disk or shown: embeddings, overrides and isolates are
// removed (on disk) or shown as a visible marker (on screen); so are marks, except in a name with
// right-to-left letters, where only those in or next to the extension go. In reading text,
// overrides become the embedding of the same direction (the page's intended direction stays, the
// reversal of letters goes), every control is closed inside the run of text it opened in, so none
// leaks into the text around it, and marks stay.
// The original name, controls included, stays in the item's record as evidence.

/** Embedding, override and isolate controls and their terminators (PDF, PDI). Not the marks. */
const HAS_BIDI_FORMATTING = /[\u202A-\u202E\u2066-\u2069]/;

const LRE = '\u202A';
const RLE = '\u202B';
const PDF = '\u202C';
const LRO = '\u202D';
const RLO = '\u202E';
const PDI = '\u2069';

export function hasBidiFormatting(text: string): boolean {
  return HAS_BIDI_FORMATTING.test(text);
}

const MARKS = /[\u200E\u200F\u061C]/;
// Letters of the scripts written right to left (bidi classes R and AL); not ALM, which is in the
// Arabic script block but is a mark.
const RTL_LETTER = /(?=\p{L})[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Yezidi}]/u;

// A mark in the extension, or among the neutrals between the last letter or digit and the
// extension's dot (see above).
const EXTENSION_MARK = /[\u200E\u200F\u061C](?=[^\p{L}\p{N}.]*\.[^.]*$)|(?<=\.[^.]*)[\u200E\u200F\u061C](?=[^.]*$)/gu;

/**
 * The UTF-16 offsets of the bidi controls a file name may not carry where it is shown or stored
 * (see above). Every control is a single UTF-16 unit, so offsets never split a surrogate pair.
 */
function nameControlOffsets(name: string): Set<number> {
  const out = new Set<number>();
  const rtl = RTL_LETTER.test(name);
  if (!hasBidiFormatting(name) && !MARKS.test(name)) return out;
  for (let i = 0; i < name.length; i++) {
    const c = name[i] as string;
    if (HAS_BIDI_FORMATTING.test(c) || (!rtl && MARKS.test(c))) out.add(i);
  }
  if (rtl) for (const mark of name.matchAll(EXTENSION_MARK)) out.add(mark.index);
  return out;
}

/** `name` with each control at `offsets` replaced by what `as` gives for it. */
function replaceAt(name: string, offsets: Set<number>, as: (control: string) => string): string {
  if (offsets.size === 0) return name;
  let out = '';
  for (let i = 0; i < name.length; i++) out += offsets.has(i) ? as(name[i] as string) : name[i];
  return out;
}

/**
 * A file name fit to write to disk: without embedding, override and isolate controls, and without
 * marks, except that a name with right-to-left letters keeps its LRM, RLM and ALM outside and
 * away from its extension.
 */
export function nameWithoutBidiControls(name: string): string {
  return replaceAt(name, nameControlOffsets(name), () => '');
}

/**
 * Reading text made safe to show: LRO/RLO become LRE/RLE, a terminator with nothing to close is
 * dropped, and whatever is still open at the end is closed there. The result has no override and
 * is balanced, so joining such texts keeps each one's controls inside it; applying it twice
 * changes nothing.
 */
export function containBidi(text: string): string {
  if (!hasBidiFormatting(text)) return text;
  // 'E' an embedding (overrides included, once turned into one), 'I' an isolate.
  const open: ('E' | 'I')[] = [];
  let out = '';
  for (const c of text) {
    if (c === LRE || c === RLE || c === LRO || c === RLO) {
      open.push('E');
      out += c === LRO ? LRE : c === RLO ? RLE : c;
    } else if (c === PDF) {
      // As in the bidi algorithm, a PDF never closes past an isolate.
      if (open.at(-1) === 'E') {
        open.pop();
        out += c;
      }
    } else if (c === '\u2066' || c === '\u2067' || c === '\u2068') {
      open.push('I');
      out += c;
    } else if (c === PDI) {
      // A PDI closes its isolate and every embedding opened inside it.
      const at = open.lastIndexOf('I');
      if (at !== -1) {
        open.length = at;
        out += c;
      }
    } else {
      out += c;
    }
  }
  for (let i = open.length - 1; i >= 0; i--) out += open[i] === 'E' ? PDF : PDI;
  return out;
}

/** A name cut where it held embedding, override or isolate controls, each given by code point. */
export type NamePart = { text: string } | { control: string };

/** `name` split at the controls nameWithoutBidiControls would remove, for showing each as a marker. */
export function nameParts(name: string): NamePart[] {
  const offsets = nameControlOffsets(name);
  if (offsets.size === 0) return [{ text: name }];
  const parts: NamePart[] = [];
  let run = '';
  for (let i = 0; i < name.length; i++) {
    if (offsets.has(i)) {
      if (run !== '') parts.push({ text: run });
      run = '';
      parts.push({ control: codePoint(name[i] as string) });
    } else {
      run += name[i];
    }
  }
  if (run !== '') parts.push({ text: run });
  return parts;
}

/**
 * A name as plain text for a person to read (the CLI, a report): each control
 * nameWithoutBidiControls would remove shown as a visible [U+202E] instead, so that what is shown
 * is in the order it is stored.
 */
export function shownName(name: string): string {
  return replaceAt(name, nameControlOffsets(name), (c) => `[${codePoint(c)}]`);
}

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
