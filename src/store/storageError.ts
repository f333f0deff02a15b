// Local storage failures as MailErrors of kind 'storage', with the reason a person can act on.
import { MailError } from '../mail/mailError';

export function storageError(action: string, error: unknown): MailError {
  if (error instanceof MailError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const hint =
    code === 'ENOSPC' ? ' (the disk is full)' : code === 'EACCES' || code === 'EPERM' ? ' (no permission)' : '';
  return new MailError('storage', `${action}: ${(error as Error).message}${hint}`, { cause: error });
}
