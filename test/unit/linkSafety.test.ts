import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkLink } from '../../src/views/panel/linkSafety';

test('a link whose text names another host is flagged with both hosts', () => {
  assert.deepEqual(checkLink('https://evil.example/login', 'https://bank.example/login').mismatch, {
    shown: 'bank.example',
    actual: 'evil.example',
  });
  assert.deepEqual(checkLink('http://phish.example', 'www.paypal.com').mismatch, {
    shown: 'www.paypal.com',
    actual: 'phish.example',
  });
});

test('ordinary links and matching hosts open without a warning', () => {
  assert.deepEqual(checkLink('https://example.org/a', 'Read more'), { target: 'https://example.org/a' });
  assert.equal(checkLink('https://www.example.org/a', 'example.org').mismatch, undefined);
  assert.equal(
    checkLink('https://news.example.org/a', 'example.org').mismatch,
    undefined,
    'a subdomain of the shown host is the same site',
  );
  assert.equal(checkLink('mailto:bob@example.org', 'bob@example.org').target, 'mailto:bob@example.org');
});

test('only web and mail links open at all', () => {
  for (const href of [
    'javascript:alert(1)',
    'file:///etc/passwd',
    'vscode://settings',
    'data:text/html,x',
    'not a url',
  ]) {
    assert.equal(checkLink(href, 'x').target, undefined, href);
  }
});
