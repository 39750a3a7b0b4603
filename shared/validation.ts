// Validation at every door, with messages a person can act on ("title: at most 2000 characters")
// instead of zod's defaults. A schema's own message, where it has one, wins over these.
import type { z } from 'zod';
import { ArchiveError } from './errors.ts';

type Issue = z.core.$ZodRawIssue;

function humanMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') return `at most ${Number(issue.maximum).toLocaleString('en')} characters`;
      if (issue.origin === 'array') return `at most ${Number(issue.maximum).toLocaleString('en')} entries`;
      return `at most ${String(issue.maximum)}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'cannot be empty' : `at least ${String(issue.minimum)} characters`;
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)}`;
      return `at least ${String(issue.minimum)}`;
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `${issue.keys.join(', ')} ${issue.keys.length === 1 ? 'is not an option' : 'are not options'} here`;
    case 'invalid_format':
      return `is not a valid ${issue.format}`;
    default:
      return undefined;
  }
}

function article(type: string): string {
  const names: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object' };
  return names[type] ?? `a ${type}`;
}

/** Parses `value` with `schema`, or throws an invalid-argument error naming the field and the rule. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value, { error: (issue) => humanMessage(issue as Issue) });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  throw new ArchiveError('invalid-argument', `${where}${issue?.message ?? 'invalid value'}.`);
}
