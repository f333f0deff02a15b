// One table of every letterbox.* setting, held against what package.json tells VS Code, and how a value is read:
// a user-only setting ignores a repository's value, a hand-edited value out of range or of the wrong type falls
// back to something Letterbox can use.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SETTINGS, SETTING_KEYS, settingValue } from '../../src/accounts/settingsTable';

interface Contributed {
  type: string;
  default: unknown;
  scope?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Contributed> } };
};
const contributed = manifest.contributes.configuration.properties;

test('every setting package.json declares is in the table, with the same default, and nothing else is', () => {
  assert.deepEqual(
    Object.keys(contributed)
      .map((key) => key.replace(/^letterbox\./, ''))
      .sort(),
    [...SETTING_KEYS].sort(),
  );
  for (const key of SETTING_KEYS) {
    const declared = contributed[`letterbox.${key}`];
    assert.deepEqual(SETTINGS[key].default, declared.default, key);
    // Application scope is what keeps a workspace from setting it; the table reads only the user's value then.
    assert.equal(SETTINGS[key].scope === 'user', declared.scope === 'application', `${key}: scope`);
    if (declared.minimum !== undefined)
      assert.equal(settingValue(key, { effectiveValue: declared.minimum - 1 }), declared.minimum, `${key}: minimum`);
    if (declared.maximum !== undefined)
      assert.equal(settingValue(key, { effectiveValue: declared.maximum + 1 }), declared.maximum, `${key}: maximum`);
    for (const value of declared.enum ?? [])
      assert.equal(settingValue(key, { effectiveValue: value }), value, `${key}: ${String(value)}`);
  }
});

test("a user-only setting never takes a workspace's value; a value of the wrong type reads as the default", () => {
  assert.deepEqual(settingValue('remoteContent.allowedSenders', { effectiveValue: ['tracker@evil.example'] }), []);
  assert.deepEqual(
    settingValue('remoteContent.allowedSenders', {
      globalValue: ['news@example.net', 7],
      effectiveValue: ['tracker@evil.example'],
    }),
    ['news@example.net'],
  );
  assert.deepEqual(
    settingValue('accounts', { effectiveValue: [{ host: 'trap' }] }),
    [],
    'a repository cannot add an account',
  );
  assert.equal(settingValue('markAsReadAfterSeconds', { effectiveValue: 'soon' }), 0);
  assert.equal(settingValue('newMailNotifications', { effectiveValue: 'sometimes' }), 'inbox');
  assert.equal(settingValue('cache.messageSizeMB', { effectiveValue: 0 }), 0, '0 is kept: keep none');
});
