/** Strict HTML escaping for the help-centre templates and search snippets: every interpolation goes through here. */
const MAP: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"'`]/g, (c) => MAP[c] as string);
}

/** Escapes text for XML (sitemap). */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => MAP[c] as string);
}
