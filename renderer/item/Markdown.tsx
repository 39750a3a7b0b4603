// Notes are written in Markdown (renderer/item/markdownParse.ts parses the subset). Drawn here as
// React elements, never as HTML, so a note cannot inject markup; links show their address as text
// instead of being followable.
import type { ReactNode } from 'react';
import { parseBlocks, parseInline, type Inline } from './markdownParse.ts';

function inline(nodes: readonly Inline[]): ReactNode[] {
  return nodes.map((node, key) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'strong':
        return <strong key={key}>{inline(node.children)}</strong>;
      case 'em':
        return <em key={key}>{inline(node.children)}</em>;
      case 'code':
        return <code key={key}>{node.text}</code>;
      case 'link':
        return (
          <span key={key}>
            {inline(node.children)} <span className="md-url">({node.url})</span>
          </span>
        );
    }
  });
}

export function Markdown({ source }: { source: string }) {
  return (
    <>
      {parseBlocks(source).map((block, i) => {
        switch (block.type) {
          case 'heading': {
            // Inside an item page h1 is the item's title: a note's headings start one level down.
            const Tag = `h${Math.min(6, block.level + 1)}` as 'h2';
            return (
              <Tag key={i} dir="auto" className="md-heading">
                {inline(parseInline(block.text))}
              </Tag>
            );
          }
          case 'paragraph':
            return (
              <p key={i} dir="auto">
                {inline(parseInline(block.text))}
              </p>
            );
          case 'quote':
            return (
              <blockquote key={i} dir="auto">
                {inline(parseInline(block.text))}
              </blockquote>
            );
          case 'list': {
            const Tag = block.ordered ? 'ol' : 'ul';
            return (
              <Tag key={i}>
                {block.items.map((item, j) => (
                  <li key={j} dir="auto">
                    {inline(parseInline(item))}
                  </li>
                ))}
              </Tag>
            );
          }
          case 'code':
            return (
              <pre key={i} dir="ltr">
                <code>{block.text}</code>
              </pre>
            );
          case 'rule':
            return <hr key={i} />;
        }
      })}
    </>
  );
}
