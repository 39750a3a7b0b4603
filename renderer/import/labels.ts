// Tags and collections typed into one field: separated by commas (Latin or Arabic) or semicolons,
// spaces kept inside a name ("Dhi Qar"), duplicates and empty pieces dropped.
export function splitLabels(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(/[,;\u060c\u061b]/)) {
    const name = piece.replace(/\s+/g, ' ').trim();
    if (name !== '' && !out.includes(name)) out.push(name);
  }
  return out;
}
