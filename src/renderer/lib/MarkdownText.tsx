import { memo, type ReactNode } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { linkHost, wordsNameHost } from './link-destination';
import { laidOutAsMarkdown } from './markdown-budget';

function textOf(children: ReactNode): string {
  if (typeof children === 'string' || typeof children === 'number') return String(children);
  if (Array.isArray(children)) return children.map(textOf).join('');
  return '';
}

/**
 * A model's words are partly an attacker's (whatever the tools read can steer them), so what the Markdown may do
 * is narrowed: no raw HTML (react-markdown shows it as text), no image is loaded (an image's address can carry
 * data out the moment it is drawn: it is shown as a link instead), and a link always says where it goes and
 * opens outside the app (the main process sends it to the browser).
 */
const components: Components = {
  a: ({ href, children }) => {
    // Where it goes, shown beside its words unless they are that very address: "docs (example.com)".
    const host = linkHost(href);
    const says = host !== null && wordsNameHost(textOf(children), host);
    return (
      <>
        <a href={href} target="_blank" rel="noopener noreferrer" title={href}>
          {children}
        </a>
        {host && !says && <span className="link-host"> ({host})</span>}
      </>
    );
  },
  img: ({ src, alt }) => {
    const href = typeof src === 'string' ? src : undefined;
    return (
      <span className="markdown-image" title="Images in replies are not loaded: their address could send data out.">
        [image{alt ? `: ${alt}` : ''}
        {href && (
          <>
            {' '}
            <a href={href} target="_blank" rel="noopener noreferrer">
              {linkHost(href) ?? href}
            </a>
          </>
        )}
        ]
      </span>
    );
  },
};

/** A model's reply as Markdown (GitHub's: tables, task lists, strikethrough), safely. */
export const MarkdownText = memo(function MarkdownText({ text }: { text: string }) {
  if (!laidOutAsMarkdown(text)) {
    return (
      <div className="markdown-plain" title="Shown as plain text: it holds too many emphasis and link marks (*, _, ~, [) to lay out as Markdown quickly.">
        {text}
      </div>
    );
  }
  return (
    <div className="markdown">
      <Markdown remarkPlugins={[remarkGfm]} components={components} skipHtml={false}>
        {text}
      </Markdown>
    </div>
  );
});
