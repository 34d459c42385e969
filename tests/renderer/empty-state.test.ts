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
});
