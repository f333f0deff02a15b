// Addresses as mailparser reports them -> the domain's Address list, for the whole message (parseMessage.ts) and
// for a header block alone (summarizeHeaders.ts).
import type { AddressObject } from 'mailparser';
import type { Address } from '../../mail/types';

/** mailparser gives one AddressObject or an array (one per header instance), each possibly holding groups. */
export function addresses(value: AddressObject | AddressObject[] | undefined): Address[] {
  if (!value) return [];
  const objects = Array.isArray(value) ? value : [value];
  const result: Address[] = [];
  for (const object of objects) {
    for (const entry of object.value) {
      if (entry.group) {
        for (const member of entry.group) result.push({ name: member.name ?? '', address: member.address ?? '' });
      } else {
        result.push({ name: entry.name ?? '', address: entry.address ?? '' });
      }
    }
  }
  return result;
}
