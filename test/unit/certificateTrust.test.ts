import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeAuthorizationError, normalizeFingerprint } from '../../src/protocols/tls/certificateTrust';

test('fingerprints compare equal however they were pasted', () => {
  const canonical = 'AB:CD:EF:01';
  assert.equal(normalizeFingerprint('abcdef01'), canonical);
  assert.equal(normalizeFingerprint('ab:cd:ef:01'), canonical);
  assert.equal(normalizeFingerprint(' AB CD EF 01 '), canonical);
  assert.equal(normalizeFingerprint('sha256/AB-CD-EF-01'), 'A2:56:AB:CD:EF:01', 'only hex digits count');
});

test('verification failures are described in words a user understands', () => {
  assert.equal(describeAuthorizationError('DEPTH_ZERO_SELF_SIGNED_CERT'), 'it is self-signed');
  assert.equal(describeAuthorizationError('ERR_TLS_CERT_ALTNAME_INVALID'), 'it was issued for another host name');
  assert.equal(describeAuthorizationError('CERT_HAS_EXPIRED'), 'it has expired');
  assert.match(describeAuthorizationError('SOMETHING_NEW'), /SOMETHING_NEW/);
});
