import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EmptyState } from '../../src/renderer/features/chat/EmptyState';
import type { AppInfo } from '../../src/renderer/features/app-info/useAppInfo';

const info = (model: AppInfo['model']): AppInfo => ({ version: '0.1.0', workspace: '/home/me/ws', dataDir: '/home/me/.local/share/portcullis', model, notices: [] });
const text = (appInfo: AppInfo | null) => renderToStaticMarkup(createElement(EmptyState, { info: appInfo, disabled: false, onExample: () => undefined })).replace(/<[^>]+>/g, ' ');

describe('the first screen', () => {
  it('says the examples work offline with the built-in model only, not with a configured one', () => {
    expect(text(info({ id: 'builtin', description: 'Built-in offline model' }))).toContain('Try one of these (they work offline)');
    const configured = text(info({ id: 'claude-sonnet-4-5@anthropic', description: 'claude-sonnet-4-5 (Anthropic)' }));
    expect(configured).toContain('Try one of these');
    expect(configured).not.toContain('offline');
  });

  it('says what a private chat is where it starts, and nothing of it for another chat', () => {
    const render = (isPrivate: boolean) => renderToStaticMarkup(createElement(EmptyState, { info: info({ id: 'builtin', description: 'Built-in offline model' }), disabled: false, onExample: () => undefined, isPrivate })).replace(/<[^>]+>/g, ' ');
    expect(render(true)).toContain('Private: kept in memory only, never written to disk, gone when Portcullis quits. Its trace too is kept in memory only.');
    expect(render(false)).not.toContain('Private:');
  });
});
