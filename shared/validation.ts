// Validation at every door, with messages a person can act on ("title: at most 2000 characters")
// instead of zod's defaults, as phrases the interface says in its own language. A schema's own
// message, where it has one, is a phrase key (rule() below) and wins over these.
import type { z } from 'zod';
import { ArchiveError } from './errors.ts';
import { isPhraseKey, phrase, type Phrase, type PhraseKey, type PhraseValue } from './phrase.ts';

type Issue = z.core.$ZodIssue;

/** A schema's own message: a phrase key, said when the rule is broken. */
export function rule(key: PhraseKey): { message: string } {
  return { message: key };
}

/** What an issue zod found says, as a phrase (without the field it is about). */
export function issuePhrase(issue: Issue): Phrase {
  // A schema's rule(), with the values a refinement gave (ctx.addIssue({ params })).
  if (isPhraseKey(issue.message)) {
    const params = issue.code === 'custom' ? (issue.params as Record<string, PhraseValue> | undefined) : undefined;
    return params === undefined ? { key: issue.message } : { key: issue.message, values: params };
  }
  switch (issue.code) {
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return phrase('validation.atMostCharacters', { count: max });
      if (issue.origin === 'array') return phrase('validation.atMostEntries', { max });
      return phrase('validation.atMost', { max });
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? phrase('validation.empty') : phrase('validation.atLeastCharacters', { count: min });
      if (issue.origin === 'array') return phrase('validation.atLeastEntries', { min });
      return phrase('validation.atLeast', { min });
    }
    case 'invalid_type':
      // Missing, as opposed to of the wrong type, only where the issue reports its input (reportInput).
      return 'input' in issue && issue.input === undefined ? phrase('validation.required') : phrase('validation.wrongType', { type: typeName(issue.expected) });
    case 'invalid_value':
      return phrase('validation.oneOf', { values: issue.values.map(String).join(', ') });
    case 'unrecognized_keys':
      return phrase('validation.notOptions', { count: issue.keys.length, names: issue.keys.join(', ') });
    case 'invalid_format':
      // The string checks zod names as formats (starts_with, regex…) are not formats to a person.
      if (issue.format === 'starts_with') return phrase('validation.startsWith', { prefix: String((issue as { prefix?: unknown }).prefix) });
      if (issue.format === 'ends_with') return phrase('validation.endsWith', { suffix: String((issue as { suffix?: unknown }).suffix) });
      if (issue.format === 'includes' || issue.format === 'regex') return phrase('validation.invalid');
      return phrase('validation.format', { format: issue.format });
    default:
      return phrase('validation.invalid');
  }
}

const TYPE_NAMES = {
  string: 'validation.type.text',
  number: 'validation.type.number',
  int: 'validation.type.int',
  boolean: 'validation.type.boolean',
  array: 'validation.type.array',
  object: 'validation.type.object',
} as const satisfies Record<string, PhraseKey>;

function typeName(type: string): Phrase {
  return Object.hasOwn(TYPE_NAMES, type) ? phrase(TYPE_NAMES[type as keyof typeof TYPE_NAMES]) : phrase('validation.type.other', { type });
}

/** Parses `value` with `schema`, or throws an invalid-argument error naming the field and the rule. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  // reportInput: a missing argument ("is required") is told from a wrong one by the input it had.
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const said = issue === undefined ? phrase('validation.invalid') : issuePhrase(issue);
  throw new ArchiveError('invalid-argument', issue?.path.length ? phrase('validation.field', { field: issue.path.map(String).join('.'), rule: said }) : phrase('validation.sentence', { rule: said }));
}
