import type { AckTemplates } from '../../platform/db/schema/index.ts';

/** Built-in acknowledgement texts; a mailbox's own templates (per language) override them. */
export const DEFAULT_ACK_TEMPLATES: AckTemplates = {
  en: {
    subject: 'We received your request [#{{ticket.number}}]',
    body:
      'Hello {{customer.name}},\n\nThank you for writing to us. Your request "{{ticket.subject}}" has been received as ' +
      'ticket #{{ticket.number}}. We will reply as soon as we can; answer this email to add anything.\n',
  },
  bn: {
    subject: 'আমরা আপনার অনুরোধ পেয়েছি [#{{ticket.number}}]',
    body:
      'নমস্কার {{customer.name}},\n\nআমাদের লেখার জন্য ধন্যবাদ। আপনার অনুরোধ "{{ticket.subject}}" টিকিট #{{ticket.number}} ' +
      'হিসেবে গৃহীত হয়েছে। আমরা যত তাড়াতাড়ি সম্ভব উত্তর দেব; কিছু যোগ করতে চাইলে এই ইমেলের উত্তর দিন।\n',
  },
  hi: {
    subject: 'हमें आपका अनुरोध मिल गया है [#{{ticket.number}}]',
    body:
      'नमस्ते {{customer.name}},\n\nहमें लिखने के लिए धन्यवाद। आपका अनुरोध "{{ticket.subject}}" टिकट #{{ticket.number}} ' +
      'के रूप में दर्ज हो गया है। हम जल्द से जल्द उत्तर देंगे; कुछ जोड़ना हो तो इसी ईमेल का उत्तर दें।\n',
  },
};

export interface AckValues {
  ticketNumber: number;
  ticketSubject: string;
  customerName: string;
}

/** The template for a language (mailbox first, then built-in, then English); plain text, no HTML is produced. */
export function renderAck(templates: AckTemplates, language: string | null, v: AckValues): { subject: string; body: string } {
  const lang = (language ?? 'en').toLowerCase();
  const base = lang.split('-')[0] ?? 'en';
  const t = templates[lang] ?? templates[base] ?? DEFAULT_ACK_TEMPLATES[base] ?? templates.en ?? DEFAULT_ACK_TEMPLATES.en;
  if (!t) throw new Error('no acknowledgement template');
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').slice(0, 300);
  const fill = (s: string, subjectLine: boolean) =>
    s
      .replaceAll('{{ticket.number}}', String(v.ticketNumber))
      .replaceAll('{{ticket.subject}}', oneLine(v.ticketSubject))
      .replaceAll('{{customer.name}}', subjectLine ? oneLine(v.customerName) : oneLine(v.customerName));
  return { subject: oneLine(fill(t.subject, true)), body: fill(t.body, false) };
}
