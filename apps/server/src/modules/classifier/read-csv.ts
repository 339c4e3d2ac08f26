/** RFC 4180 CSV: quoted fields with doubled quotes and line breaks inside quotes; the first row is the header. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i += 1) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || (r[0] ?? '') !== '');
}

/** Rows as objects keyed by the header. */
export function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rest] = parseCsv(text);
  if (!header) return [];
  return rest.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** Text/label pairs from named columns; rows with an empty text or label are skipped. Throws on a missing column. */
export function examplesFromCsv(text: string, textColumn: string, labelColumn: string): Array<{ text: string; label: string }> {
  const [header] = parseCsv(text.slice(0, 100_000));
  for (const col of [textColumn, labelColumn]) {
    if (!header?.includes(col)) throw new Error(`column "${col}" not found (columns: ${header?.join(', ') ?? 'none'})`);
  }
  return csvRecords(text)
    .map((r) => ({ text: (r[textColumn] ?? '').trim(), label: (r[labelColumn] ?? '').trim() }))
    .filter((e) => e.text !== '' && e.label !== '');
}
