import type { WidgetMessage } from '@seva/contracts';

type Lang = 'en' | 'bn' | 'hi';

const STRINGS: Record<
  Lang,
  { subject: (n: number) => string; intro: string; you: string; agent: string; attachment: string }
> = {
  en: {
    subject: (n) => `Transcript of your chat #${n}`,
    intro: 'Here is your conversation with us.',
    you: 'You',
    agent: 'Support',
    attachment: 'Attachment',
  },
  bn: {
    subject: (n) => `আপনার চ্যাট #${n}-এর প্রতিলিপি`,
    intro: 'আমাদের সঙ্গে আপনার কথোপকথন নিচে দেওয়া হলো।',
    you: 'আপনি',
    agent: 'সহায়তা',
    attachment: 'সংযুক্তি',
  },
  hi: {
    subject: (n) => `आपकी चैट #${n} का ट्रांसक्रिप्ट`,
    intro: 'हमारे साथ आपकी बातचीत नीचे है।',
    you: 'आप',
    agent: 'सहायता',
    attachment: 'अनुलग्नक',
  },
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function transcriptLanguage(language: string | null | undefined): Lang {
  return language === 'bn' || language === 'hi' ? language : 'en';
}

/** The transcript mail: plain text and HTML with every customer-controlled string escaped. */
export function renderTranscript(
  language: string | null | undefined,
  input: { number: number; subject: string; messages: WidgetMessage[] },
): { subject: string; text: string; html: string } {
  const s = STRINGS[transcriptLanguage(language)];
  const who = (m: WidgetMessage) => (m.authorType === 'customer' ? s.you : (m.authorName ?? s.agent));
  const when = (m: WidgetMessage) => m.createdAt.replace('T', ' ').slice(0, 16);
  const files = (m: WidgetMessage) => m.attachments.map((a) => `[${s.attachment}: ${a.filename}]`);
  const text = [
    s.intro,
    '',
    ...input.messages.flatMap((m) => [`[${when(m)}] ${who(m)}:`, m.bodyText, ...files(m), '']),
  ].join('\n');
  const html =
    `<p>${escapeHtml(s.intro)}</p>` +
    input.messages
      .map(
        (m) =>
          `<p><strong>${escapeHtml(who(m))}</strong> <small>${escapeHtml(when(m))}</small><br>` +
          `${escapeHtml(m.bodyText).replace(/\n/g, '<br>')}` +
          files(m)
            .map((f) => `<br><em>${escapeHtml(f)}</em>`)
            .join('') +
          '</p>',
      )
      .join('');
  return { subject: s.subject(input.number), text, html };
}
