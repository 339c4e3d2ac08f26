/**
 * The Cloud API's documented limits on template and interactive messages (the fake answers 131009 for these):
 * a template has a name, a language code and text parameters that are not empty; reply buttons 1–3 with titles of at
 * most 20 characters and distinct ids; a list has a button label and 1–10 rows in all.
 */
export function whatsappPayloadProblem(b: Record<string, unknown>): string | null {
  if (b.type === 'template') {
    const t = (b.template ?? {}) as {
      name?: string;
      language?: { code?: string };
      components?: Array<{ parameters?: Array<{ text?: string; payload?: string }> }>;
    };
    if (!t.name || !t.language?.code) return 'template name and language code are required';
    for (const c of t.components ?? []) {
      for (const p of c.parameters ?? [])
        if ((p.text ?? p.payload ?? '').trim() === '') return 'empty template parameter';
    }
  }
  if (b.type === 'interactive') {
    const i = (b.interactive ?? {}) as {
      type?: string;
      body?: { text?: string };
      action?: {
        button?: string;
        buttons?: Array<{ reply?: { id?: string; title?: string } }>;
        sections?: Array<{ rows?: unknown[] }>;
      };
    };
    if (!i.body?.text) return 'interactive body text is required';
    if (i.type === 'button') {
      const buttons = i.action?.buttons ?? [];
      if (buttons.length < 1 || buttons.length > 3) return 'buttons: 1 to 3';
      if (buttons.some((x) => !x.reply?.id || !x.reply.title || x.reply.title.length > 20))
        return 'button title: 1 to 20 characters';
      if (new Set(buttons.map((x) => x.reply?.id)).size !== buttons.length) return 'button ids must be unique';
    } else if (i.type === 'list') {
      const rows = (i.action?.sections ?? []).reduce((n, s) => n + (s.rows?.length ?? 0), 0);
      if (!i.action?.button || rows < 1 || rows > 10) return 'list: a button and 1 to 10 rows';
    } else return `unknown interactive type ${i.type}`;
  }
  return null;
}
