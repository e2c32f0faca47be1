import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { en, zh } from './messages.ts';
import { pickLanguage, translate, translateError } from './translate.ts';

describe('pickLanguage', () => {
  it('prefers the stored choice', () => {
    expect(pickLanguage('zh', ['en-US'])).toBe('zh');
    expect(pickLanguage('en', ['zh-CN'])).toBe('en');
  });

  it('takes the first browser language it speaks', () => {
    expect(pickLanguage(null, ['zh-TW', 'en'])).toBe('zh');
    expect(pickLanguage(null, ['fr-FR', 'en-GB', 'zh'])).toBe('en');
    expect(pickLanguage('klingon', ['de', 'ZH-hans'])).toBe('zh');
  });

  it('falls back to English', () => {
    expect(pickLanguage(null, ['fr', 'de'])).toBe('en');
    expect(pickLanguage(null, [])).toBe('en');
  });
});

describe('translate', () => {
  it('looks the key up in the chosen language', () => {
    expect(translate('en', 'files.delete')).toBe('Delete');
    expect(translate('zh', 'files.delete')).toBe('删除');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'transfers.summary', { done: 1, total: 3 })).toBe('1 of 3 done');
    expect(translate('zh', 'header.usedOfQuota', { used: '1 MB', quota: '1 GB' })).toBe(
      '已用 1 MB / 1 GB',
    );
    expect(translate('en', 'header.used')).toBe('{used} used');
  });

  it('has a non-empty Chinese string for every English key', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(zh[key]).toBeTruthy();
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });
});

describe('translateError', () => {
  it('translates known codes', () => {
    const err = new ApiError(409, 'username_taken', 'That username is taken');
    expect(translateError('en', err)).toBe('That username is already taken');
    expect(translateError('zh', err)).toBe('该用户名已被占用');
    expect(translateError('zh', { code: 'wasm_unavailable', message: '' })).toBe(
      '浏览器不支持 WebAssembly',
    );
  });

  it('falls back to the server message for codes it does not know', () => {
    const err = new ApiError(400, 'invalid_request', 'password: must be at least 8 characters');
    expect(translateError('zh', err)).toBe('password: must be at least 8 characters');
  });
});
