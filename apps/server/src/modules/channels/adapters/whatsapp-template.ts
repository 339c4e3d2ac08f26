import type { WhatsappInteractiveBody } from '@seva/contracts';

/** What a template parameter can say: `{{reply}}`, `{{customer.name}}`, `{{ticket.number}}` … */
export interface TemplateContext {
  reply: string;
  customerName: string;
  /** the customer's language (the ticket's, else the customer's locale): picks the template translation */
  language: string | null;
  ticketNumber: number | null;
  ticketSubject: string;
  agentName: string;
}

const LIMITS = { header: 60, body: 1024, button: 128 };

function fill(text: string, ctx: TemplateContext, max: number): string {
  const vars: Record<string, string> = {
    reply: ctx.reply,
    'customer.name': ctx.customerName,
    'ticket.number': ctx.ticketNumber === null ? '' : String(ctx.ticketNumber),
    'ticket.subject': ctx.ticketSubject,
    'agent.name': ctx.agentName,
  };
  // WhatsApp refuses empty parameters and newlines/tabs in header and button parameters
  const out = text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, k: string) => vars[k] ?? '').trim();
  return (out === '' ? '-' : out).slice(0, max);
}

const split = (v: string | undefined) =>
  (v ?? '')
    .split('|')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** The template translation for the customer's language: "en:en_US, bn:bn" → bn for a Bengali customer. */
export function pickTemplateLanguage(settings: Record<string, string>, language: string | null): string {
  const pairs = new Map(
    (settings.templateLanguages ?? '')
      .split(',')
      .map((p) => p.split(':').map((x) => x.trim()))
      .filter((p): p is [string, string] => p.length === 2 && !!p[0] && !!p[1]),
  );
  const lang = language?.slice(0, 2).toLowerCase() ?? '';
  return pairs.get(lang) ?? settings.templateLanguage ?? pairs.values().next().value ?? 'en';
}

/**
 * The Cloud API `template` object for the channel's configured template: header, body and button parameters filled
 * from the reply, customer and ticket, in the customer's language where the template has it.
 */
export function buildTemplate(settings: Record<string, string>, ctx: TemplateContext): Record<string, unknown> {
  const components: Record<string, unknown>[] = [];
  if (settings.templateHeader) {
    const text = fill(settings.templateHeader, ctx, LIMITS.header).replace(/[\n\t]+/g, ' ');
    components.push({ type: 'header', parameters: [{ type: 'text', text }] });
  }
  const body = split(settings.templateBody);
  components.push({
    type: 'body',
    parameters: (body.length > 0 ? body : ['{{reply}}']).map((p) => ({
      type: 'text',
      text: fill(p, ctx, LIMITS.body),
    })),
  });
  for (const [index, b] of split(settings.templateButtons).entries()) {
    const at = b.indexOf(':');
    const subType = b.slice(0, at).trim();
    const value = fill(b.slice(at + 1), ctx, LIMITS.button).replace(/[\n\t]+/g, ' ');
    components.push({
      type: 'button',
      sub_type: subType,
      index: String(index),
      parameters: [subType === 'url' ? { type: 'text', text: value } : { type: 'payload', payload: value }],
    });
  }
  return { name: settings.templateName, language: { code: pickTemplateLanguage(settings, ctx.language) }, components };
}

/** The Cloud API `interactive` object for reply buttons or a list. */
export function buildInteractive(i: WhatsappInteractiveBody): Record<string, unknown> {
  if (i.type === 'buttons') {
    return {
      type: 'button',
      body: { text: i.body },
      action: { buttons: i.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) },
    };
  }
  return {
    type: 'list',
    body: { text: i.body },
    action: {
      button: i.button,
      sections: i.sections.map((s) => ({
        ...(s.title ? { title: s.title } : {}),
        rows: s.rows.map((r) => ({
          id: r.id,
          title: r.title,
          ...(r.description ? { description: r.description } : {}),
        })),
      })),
    },
  };
}

/** How an interactive message reads in the ticket (the agent sees the choices offered). */
export function interactiveAsText(i: WhatsappInteractiveBody): string {
  const choices =
    i.type === 'buttons' ? i.buttons.map((b) => b.title) : i.sections.flatMap((s) => s.rows.map((r) => r.title));
  return `${i.body}\n\n${choices.map((c) => `▸ ${c}`).join('\n')}`;
}
