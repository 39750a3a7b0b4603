// What a query means, in the reader's language: the help popover reads the query back as it is
// typed ("items with “kadhimi”, tagged “Dhi Qar”, not video"), from the same parser the engine
// uses, so what it says is what the search does.
import { parseQuery, type Filter, type Node } from '../../shared/query.ts';

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The query read back as a sentence, or null when it has nothing searchable. */
export function explainQuery(input: string, t: Translate, languageName: (code: string) => string, formatDate: (d: string) => string): string | null {
  const { root } = parseQuery(input);
  if (root === null) return null;
  const describe = (node: Node, nested: boolean): string => {
    switch (node.type) {
      case 'term':
        return t(node.prefix ? 'explain.prefix' : 'explain.word', { word: node.text });
      case 'phrase':
        return t(node.prefix ? 'explain.phrasePrefix' : 'explain.phrase', { words: node.words.join(' ') });
      case 'filter':
        return describeFilter(node);
      case 'not':
        return t('explain.not', { what: describe(node.child, true) });
      case 'and':
      case 'or': {
        const joined = node.children.map((c) => describe(c, true)).join(t(node.type === 'and' ? 'explain.andSeparator' : 'explain.orSeparator'));
        return nested ? t('explain.group', { what: joined }) : joined;
      }
      default:
        return missingCase(node);
    }
  };
  const describeFilter = (f: Filter): string => {
    switch (f.field) {
      case 'kind':
        return t('explain.kind', { value: t(`kind.${f.value}`) });
      case 'has':
        return t('explain.has', { value: t(`has.${f.value}`) });
      case 'tag':
        return t('explain.tag', { value: f.value });
      case 'collection':
        return t('explain.collection', { value: f.value });
      case 'lang':
        return t('explain.lang', { value: languageName(f.value) });
      case 'from':
        return t('explain.from', { value: formatDate(f.value) });
      case 'to':
        return t('explain.to', { value: formatDate(f.value) });
      default:
        return missingCase(f);
    }
  };
  const parts = root.type === 'and' ? root.children : [root];
  if (parts.every((p) => p.type === 'not')) {
    return t('explain.everythingExcept', {
      what: parts.map((p) => describe((p as Extract<Node, { type: 'not' }>).child, parts.length > 1)).join(t('explain.andSeparator')),
    });
  }
  return t('explain.items', { what: describe(root, false) });
}

function missingCase(x: never): never {
  throw new Error(`unhandled query node: ${JSON.stringify(x)}`);
}
