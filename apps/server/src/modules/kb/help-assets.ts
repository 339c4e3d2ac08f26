/**
 * Static help-centre assets, served by the help routes: the stylesheet, and a small script for search-as-you-type
 * (progressive enhancement: without it the search form still works). The script builds the suggestion list with
 * DOM methods and textContent only, never innerHTML.
 */
export const HELP_JS = `(() => {
  const input = document.getElementById('q');
  const list = document.getElementById('suggestions');
  if (!input || !list) return;
  const locale = input.getAttribute('data-locale') || 'en';
  let timer = 0;
  let seq = 0;
  const clear = () => { list.replaceChildren(); list.hidden = true; };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) { clear(); return; }
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const res = await fetch('/help/search.json?limit=5&source=suggest&locale=' + encodeURIComponent(locale) + '&q=' + encodeURIComponent(q), { headers: { accept: 'application/json' } });
        if (!res.ok || mine !== seq) return;
        const data = await res.json();
        list.replaceChildren();
        for (const item of data.items || []) {
          const li = document.createElement('li');
          li.setAttribute('role', 'option');
          const a = document.createElement('a');
          a.href = String(item.url).startsWith('/help/') ? item.url : '#';
          a.textContent = item.title;
          li.appendChild(a);
          list.appendChild(li);
        }
        list.hidden = list.children.length === 0;
      } catch { clear(); }
    }, 180);
  });
  input.addEventListener('keydown', (e) => { if (e.key === 'Escape') clear(); });
})();
`;

/**
 * The contact form's script (progressive enhancement: the form posts and works without it). While the visitor
 * types a subject or message it suggests articles (debounced, `/help/search.json?source=suggest`, links built with
 * textContent), and reports deflection for one random session id: suggestions shown → article opened / "this
 * answered my question" → abandoned (leaving the page unsent). "Submitted" is recorded by the server with the ticket.
 */
export const CONTACT_JS = `(() => {
  const form = document.querySelector('form.contact-form');
  const box = document.getElementById('contact-suggestions');
  const sessionInput = document.getElementById('deflection-session');
  const subject = document.getElementById('contact-subject');
  const message = document.getElementById('contact-message');
  if (!form || !box || !sessionInput || !subject || !message) return;
  const list = box.querySelector('ul');
  const locale = box.getAttribute('data-locale') || 'en';
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(sessionInput.value)) {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    sessionInput.value = 'wf' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }
  const sessionId = sessionInput.value;
  let shown = false, submitted = false, solved = false, lastShown = '', timer = 0, seq = 0;
  const report = (event, extra) => {
    try {
      fetch('/help/deflection', {
        method: 'POST', keepalive: true, credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Object.assign({ event, sessionId, channel: 'web_form', locale }, extra || {})),
      }).catch(() => {});
    } catch {}
  };
  const render = (items, query) => {
    list.replaceChildren();
    for (const item of items) {
      if (!String(item.url).startsWith('/help/')) continue;
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = item.url;
      a.target = '_blank';
      a.rel = 'noopener';
      a.textContent = item.title;
      const hint = document.createElement('span');
      hint.className = 'visually-hidden';
      hint.textContent = ' (' + (box.getAttribute('data-open-label') || '') + ')';
      a.appendChild(hint);
      a.addEventListener('click', () => report('article_opened', { articleId: item.id }));
      const yes = document.createElement('button');
      yes.type = 'button';
      yes.className = 'solved';
      yes.textContent = box.getAttribute('data-solved-label') || '';
      yes.addEventListener('click', () => {
        solved = true;
        report('article_solved', { articleId: item.id });
        report('contact_abandoned');
        const p = document.createElement('p');
        p.setAttribute('role', 'status');
        p.textContent = box.getAttribute('data-solved-thanks') || '';
        list.replaceChildren();
        list.appendChild(p);
      });
      li.append(a, ' ', yes);
      list.appendChild(li);
    }
    box.hidden = list.children.length === 0;
    const ids = items.map((i) => i.id).join(',');
    if (!box.hidden && ids !== lastShown) {
      lastShown = ids;
      shown = true;
      report('suggestions_shown', { query: query.slice(0, 200), articleIds: items.map((i) => i.id).slice(0, 20) });
    }
  };
  const suggest = () => {
    clearTimeout(timer);
    const query = (subject.value + ' ' + message.value.slice(0, 200)).trim().replace(/\\s+/g, ' ').slice(0, 200);
    if (query.length < 3 || solved) return;
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const res = await fetch('/help/search.json?limit=5&source=suggest&locale=' + encodeURIComponent(locale) + '&q=' + encodeURIComponent(query), { headers: { accept: 'application/json' } });
        if (!res.ok || mine !== seq) return;
        const data = await res.json();
        render(Array.isArray(data.items) ? data.items : [], query);
      } catch {}
    }, 350);
  };
  subject.addEventListener('input', suggest);
  message.addEventListener('input', suggest);
  form.addEventListener('submit', () => { submitted = true; });
  window.addEventListener('pagehide', () => {
    if (shown && !submitted && !solved) report('contact_abandoned');
  });
})();
`;

export const HELP_CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans Bengali","Noto Sans Devanagari",sans-serif;color:#1c2128;background:#fff}
a{color:var(--brand)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.top{display:flex;justify-content:space-between;align-items:center;padding:12px 24px;background:var(--brand);color:#fff;flex-wrap:wrap;gap:8px}
.top a{color:#fff;text-decoration:none}.brand{display:flex;gap:8px;align-items:center;font-weight:600;font-size:1.2em}
.langs{list-style:none;display:flex;gap:12px;margin:0;padding:0}.langs span{font-weight:700}
.search{position:relative;max-width:720px;margin:24px auto;display:flex;gap:8px;padding:0 16px}
.search input{flex:1;padding:10px 12px;font-size:1em;border:1px solid #8c959f;border-radius:6px}
.search button{padding:10px 16px;border:0;border-radius:6px;background:var(--brand);color:#fff;font-size:1em}
.suggestions{position:absolute;top:100%;left:16px;right:16px;background:#fff;border:1px solid #d0d7de;list-style:none;margin:4px 0 0;padding:4px 0;z-index:2}
.suggestions a{display:block;padding:6px 12px}
main{max-width:960px;margin:0 auto;padding:0 16px 32px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:16px}
.card{border:1px solid #d0d7de;border-radius:8px;padding:16px}.count{color:#57606a}
.crumbs{margin:8px 0;color:#57606a}.meta,.votes{color:#57606a;font-size:.9em}
.body img{max-width:100%;height:auto}.body table{border-collapse:collapse}.body td,.body th{border:1px solid #d0d7de;padding:4px 8px}
.body pre{background:#f6f8fa;padding:12px;overflow:auto}.body iframe{max-width:100%;aspect-ratio:16/9;width:560px;height:auto;border:0}
.feedback{border-top:1px solid #d0d7de;margin-top:24px;padding-top:12px}.feedback button{margin-left:8px}
.results li{margin-bottom:12px}.snippet{margin:4px 0;color:#424a53}mark{background:#fff3b0}
.contact{text-align:center;padding:24px;border-top:1px solid #d0d7de}
.contact-form{max-width:640px}.contact-form .field{margin:12px 0}.contact-form label{display:block;font-weight:600}
.contact-form input,.contact-form textarea,.contact-form select{width:100%;padding:8px 10px;font:inherit;border:1px solid #8c959f;border-radius:6px}
.contact-form [aria-invalid=true]{border-color:#cf222e}.field-error{color:#cf222e;margin:2px 0}
.form-error{border:1px solid #cf222e;background:#ffebe9;padding:8px 12px;border-radius:6px;max-width:640px}
.contact-form button[type=submit]{padding:10px 16px;border:0;border-radius:6px;background:var(--brand);color:#fff;font-size:1em}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.contact-suggestions{border:1px solid #d0d7de;border-radius:8px;padding:8px 16px;margin:12px 0}.contact-suggestions h2{font-size:1em;margin:4px 0}
.tickets{border-collapse:collapse;width:100%}.tickets td,.tickets th{border-bottom:1px solid #d0d7de;padding:6px 8px;text-align:start}
.thread{list-style:none;padding:0}.msg{border:1px solid #d0d7de;border-radius:8px;padding:8px 12px;margin:8px 0}.msg-staff{background:#f6f8fa}
.msg-body{white-space:pre-wrap;overflow-wrap:anywhere}.sign-out{float:inline-end}
.contact-suggestions li{margin:6px 0}.contact-suggestions .solved{margin-left:8px;font-size:.85em}
`;

/** Brand colour as a CSS variable (the colour is validated as #rrggbb before it is stored and again here). */
export function themeCss(colour: string): string {
  const safe = /^#[0-9a-fA-F]{6}$/.test(colour) ? colour : '#1f6feb';
  return `:root{--brand:${safe}}\n`;
}
