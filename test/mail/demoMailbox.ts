// A realistic mailbox for `npm run demo`: a newsletter with remote images, attachments and an inline image,
// non-ASCII senders and subjects, a thread, enough mail to page through, some unread, mail in other folders.
import type { DovecotServer, TestUser } from '../servers/dovecot';
import { withMailbox, type Seed } from './mailbox';
import { buildMessage } from './messageBuilder';

// A 24x24 envelope icon, PNG, drawn for the demo.
const LOGO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAYAAADgdz34AAAAV0lEQVR42mNgGAWjgKqAO/nof2pgoix48fE3SZhoC9AVk2IwjE/QAnTNhAxHFyPaAly+wedDki3AZighdYPTAkLBRlULqBrJNE2mNMloNC0qRsEoIAsAAP20oQnTfccUAAAAAElFTkSuQmCC',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
);

const day = (offset: number, hour = 9) => new Date(Date.UTC(2026, 10, 28 - offset, hour, 15));

export function demoInbox(imageBase: string): Seed[] {
  const filler: Seed[] = Array.from({ length: 64 }, (_, i) => ({
    raw: buildMessage({
      from: ['Build Bot <ci@example.dev>', 'Dependabot <bot@example.dev>', 'Calendar <calendar@example.org>'][i % 3],
      subject: [
        `Build #${1200 + i} passed on main`,
        `Bump lodash from 4.17.${i} to 4.17.${i + 1}`,
        `Reminder: stand-up at 09:30 (week ${i})`,
      ][i % 3],
      date: day(20 + Math.floor(i / 3), 6 + (i % 10)),
      text: `Automated message ${i + 1}. Nothing needs your attention.`,
    }),
    flags: ['\\Seen'],
  }));
  return [
    ...filler,
    {
      raw: buildMessage({
        from: 'Jürgen Groß <juergen@example.de>',
        subject: 'Grüße aus München 🍺',
        date: day(6),
        text: 'Servus!\n\nDas Treffen am Donnerstag steht. Bring bitte die Folien mit.\n\nViele Grüße\nJürgen',
      }),
      flags: ['\\Seen'],
    },
    {
      raw: buildMessage({
        from: '山田 太郎 <yamada@example.jp>',
        subject: '来週のミーティングについて',
        date: day(5),
        text: 'お疲れ様です。\n来週のミーティングは火曜日の午後3時からです。\nよろしくお願いします。',
      }),
      flags: ['\\Seen'],
    },
    {
      raw: buildMessage({
        from: 'Finance Team <finance@example.com>',
        subject: 'Q3 report and invoice',
        date: day(4),
        text: "Hello,\n\nAttached are the Q3 report and this month's invoice.\n\nBest,\nFinance",
        attachments: [
          { filename: 'q3-report.pdf', contentType: 'application/pdf', content: PDF },
          {
            filename: 'invoice-2026-11.csv',
            contentType: 'text/csv',
            content: Buffer.from('item,amount\nHosting,120.00\nDomains,24.00\n'),
          },
        ],
      }),
      flags: ['\\Flagged'],
    },
    {
      raw: buildMessage({
        from: 'Design <design@example.org>',
        subject: 'New logo, inline',
        date: day(3),
        html: '<p>Here is the new logo, right in the message:</p><p><img src="cid:logo@letterbox" alt="Letterbox logo" width="48" height="48"></p><p>And the source file is attached.</p>',
        attachments: [
          { filename: 'logo.png', contentType: 'image/png', content: LOGO, contentId: 'logo@letterbox' },
          { filename: 'logo-source.png', contentType: 'image/png', content: LOGO },
        ],
      }),
    },
    {
      raw: buildMessage({
        from: 'Alice Example <alice@example.org>',
        subject: 'Release plan for 1.0',
        date: day(2, 10),
        messageId: 'release-plan@example.org',
        text: 'Hi all,\n\nProposal: feature freeze on the 5th, release on the 12th.\nThoughts?\n\nAlice',
      }),
      flags: ['\\Seen'],
    },
    {
      raw: buildMessage({
        from: 'Bob Example <bob@example.org>',
        subject: 'Re: Release plan for 1.0',
        date: day(2, 14),
        messageId: 'release-plan-bob@example.org',
        extraHeaders: { 'In-Reply-To': '<release-plan@example.org>', References: '<release-plan@example.org>' },
        text: 'Works for me. Can we keep the 5th flexible?\n\n> Proposal: feature freeze on the 5th, release on the 12th.\n> Thoughts?',
      }),
      flags: ['\\Seen'],
    },
    {
      raw: buildMessage({
        from: 'Alice Example <alice@example.org>',
        subject: 'Re: Re: Release plan for 1.0',
        date: day(1, 9),
        extraHeaders: {
          'In-Reply-To': '<release-plan-bob@example.org>',
          References: '<release-plan@example.org> <release-plan-bob@example.org>',
        },
        text: "Sure, let's say the 6th.\n\n> Works for me. Can we keep the 5th flexible?\n>\n>> Proposal: feature freeze on the 5th, release on the 12th.",
      }),
    },
    {
      raw: buildMessage({
        from: 'The Open Source Weekly <news@weekly.example.net>',
        subject: 'This week in open source: editors, protocols and you',
        date: day(0, 7),
        html: newsletter(imageBase),
      }),
    },
    {
      raw: buildMessage({
        from: 'Zoë Ölund <zoe@example.org>',
        subject: 'Lunch on Friday?',
        date: day(0, 11),
        text: 'Hi!\n\nShall we try the new place by the river? 12:30?\nMenu: https://example.org/menu\n\nZoë',
      }),
    },
  ];
}

function newsletter(imageBase: string): string {
  return `<table width="100%" cellpadding="0" cellspacing="0" style="font-family:Georgia,serif;background:#f4f1ea">
<tr><td align="center" style="padding:24px"><img src="${imageBase}/banner.png" width="560" height="120" alt="The Open Source Weekly" style="display:block;border:0"></td></tr>
<tr><td style="padding:0 32px 24px;color:#222">
<h1 style="font-size:26px;margin:0 0 12px">Editors, protocols and you</h1>
<p style="font-size:16px;line-height:1.6">This week: why IMAP still matters, a tour of POP3's UIDL, and how to read mail without leaving your editor.</p>
<p><a href="https://weekly.example.net/issue/42" style="color:#b4462b">Read the full issue</a> · <a href="https://tracker.example.net/click?u=https://weekly.example.net">weekly.example.net</a></p>
</td></tr>
<tr><td align="center" style="padding:12px;color:#777;font-size:12px">You receive this because you subscribed.<img src="${imageBase}/open.gif?id=demo" width="1" height="1" alt=""></td></tr>
</table>`;
}

export function demoPop3(): Seed[] {
  return [
    {
      raw: buildMessage({
        from: 'Ölüm Şahin <olum@example.com.tr>',
        subject: 'Çay saati ☕',
        date: day(1, 16),
        text: 'Merhaba! Bu mesaj POP3 ile bilgisayarına indirildi ve çevrimdışı okunabilir.',
      }),
    },
    {
      raw: buildMessage({
        from: 'Offline Reader <offline@example.org>',
        subject: 'Read me on the train',
        date: day(0, 8),
        text: "This message lives in a Maildir on your disk now.\nTry deleting it: what happens on the server depends on the account's policy.",
      }),
    },
  ];
}

export async function seedDemo(
  server: DovecotServer,
  imap: TestUser,
  pop3: TestUser,
  imageBase: string,
): Promise<void> {
  await withMailbox(server, imap, async (client) => {
    for (const seed of demoInbox(imageBase)) await client.append('INBOX', seed.raw, seed.flags ?? []);
    await client.mailboxCreate('Projects');
    await client.mailboxCreate('Projects/Letterbox');
    await client.append(
      'Projects/Letterbox',
      buildMessage({
        from: 'Alice Example <alice@example.org>',
        subject: 'Design notes',
        date: day(9),
        text: 'Notes from the design review.',
      }),
      ['\\Seen'],
    );
    await client.append(
      'Archive',
      buildMessage({
        from: 'Bob Example <bob@example.org>',
        subject: 'Old but gold',
        date: day(30),
        text: 'Archived for later.',
      }),
      ['\\Seen'],
    );
    await client.append(
      'Sent',
      buildMessage({
        from: 'You <you@example.test>',
        to: 'Alice Example <alice@example.org>',
        subject: 'Re: Release plan for 1.0',
        date: day(1, 10),
        extraHeaders: {
          'In-Reply-To': '<release-plan@example.org>',
          References: '<release-plan@example.org>',
        },
        text: 'Agreed.',
      }),
      ['\\Seen'],
    );
  });
  await withMailbox(server, pop3, async (client) => {
    for (const seed of demoPop3()) await client.append('INBOX', seed.raw, seed.flags ?? []);
  });
}
