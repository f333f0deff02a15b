import assert from 'node:assert/strict';
import { MailError } from '../../src/mail/mailError';

/** Awaits an operation that must fail, and returns its MailError for the test to inspect. */
export async function mailRejection(promise: Promise<unknown>): Promise<MailError> {
  const error = await promise.then(
    () => assert.fail('expected the operation to fail'),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof MailError, `expected a MailError, got ${String(error)}`);
  return error;
}
