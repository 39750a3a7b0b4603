// Item ids: 26 random characters (130 bits) in lowercase Crockford base32: easy to read aloud and
// type, and random from the first letter so a short prefix (6-8 characters) already names one item.
// Order comes from created_at, not from the id.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function newItemId(): string {
  const random = randomBytes(26);
  let id = '';
  for (let i = 0; i < 26; i++) id += ALPHABET[(random[i] as number) % 32];
  return id;
}
