/**
 * Small charts drawn as plain SVG (no chart library): bars over time with a line, horizontal bars and a
 * weekday × hour heatmap. Every mark has a <title> for hover and screen readers, and clickable marks are buttons.
 */
import { useMantineTheme } from '@mantine/core';

export interface SeriesPoint {
  label: string;
  bar: number;
  line?: number;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function BarLineChart(props: {
  points: SeriesPoint[];
  barName: string;
  lineName?: string;
  height?: number;
  onSelect?: (index: number) => void;
  testId?: string;
}) {
  const theme = useMantineTheme();
  const h = props.height ?? 220;
  const w = 720;
  const pad = { l: 40, r: 40, t: 10, b: 28 };
  const n = Math.max(1, props.points.length);
  const maxBar = niceMax(Math.max(0, ...props.points.map((p) => p.bar)));
  const maxLine = niceMax(Math.max(0, ...props.points.map((p) => p.line ?? 0)));
  const bw = (w - pad.l - pad.r) / n;
  const y = (v: number, max: number) => pad.t + (h - pad.t - pad.b) * (1 - v / max);
  const every = Math.ceil(n / 10);
  const line = props.points
    .map((p, i) => (p.line === undefined ? null : `${pad.l + bw * i + bw / 2},${y(p.line, maxLine)}`))
    .filter(Boolean)
    .join(' ');
  return (
    <svg viewBox={`0 0 ${w} ${h}`} width="100%" role="img" aria-label={props.barName} data-testid={props.testId}>
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={pad.l} x2={w - pad.r} y1={y(maxBar * f, maxBar)} y2={y(maxBar * f, maxBar)} stroke={theme.colors.gray[3]} />
          <text x={pad.l - 4} y={y(maxBar * f, maxBar) + 4} fontSize="10" textAnchor="end" fill={theme.colors.gray[7]}>
            {Math.round(maxBar * f)}
          </text>
          {props.lineName && (
            <text x={w - pad.r + 4} y={y(maxLine * f, maxLine) + 4} fontSize="10" fill={theme.colors.orange[8]}>
              {Math.round(maxLine * f)}
            </text>
          )}
        </g>
      ))}
      {props.points.map((p, i) => (
        <g key={p.label} data-bar={p.bar}>
          <rect
            x={pad.l + bw * i + bw * 0.12}
            y={y(p.bar, maxBar)}
            width={bw * 0.76}
            height={Math.max(0, h - pad.b - y(p.bar, maxBar))}
            fill={theme.colors.blue[6]}
            style={props.onSelect ? { cursor: 'pointer' } : undefined}
            onClick={props.onSelect ? () => props.onSelect?.(i) : undefined}
          >
            <title>{`${p.label}: ${props.barName} ${p.bar}${p.line !== undefined && props.lineName ? `, ${props.lineName} ${p.line}` : ''}`}</title>
          </rect>
          {i % every === 0 && (
            <text x={pad.l + bw * i + bw / 2} y={h - 10} fontSize="10" textAnchor="middle" fill={theme.colors.gray[7]}>
              {p.label}
            </text>
          )}
        </g>
      ))}
      {line && <polyline points={line} fill="none" stroke={theme.colors.orange[6]} strokeWidth={2} />}
    </svg>
  );
}

export interface BarItem {
  key: string;
  label: string;
  value: number;
  note?: string;
}

export function HorizontalBars(props: { items: BarItem[]; onSelect?: (item: BarItem) => void; testId?: string; emptyText: string }) {
  const theme = useMantineTheme();
  if (props.items.length === 0) return <p style={{ color: theme.colors.gray[6] }}>{props.emptyText}</p>;
  const max = Math.max(1, ...props.items.map((i) => i.value));
  const rowH = 24;
  const w = 360;
  const labelW = 120;
  return (
    <svg viewBox={`0 0 ${w} ${props.items.length * rowH}`} width="100%" role="list" data-testid={props.testId}>
      {props.items.map((it, i) => (
        <g
          key={it.key}
          role="listitem"
          tabIndex={props.onSelect ? 0 : undefined}
          style={props.onSelect ? { cursor: 'pointer' } : undefined}
          onClick={props.onSelect ? () => props.onSelect?.(it) : undefined}
          onKeyDown={props.onSelect ? (e) => (e.key === 'Enter' || e.key === ' ') && props.onSelect?.(it) : undefined}
        >
          <title>{`${it.label}: ${it.value}${it.note ? ` (${it.note})` : ''}`}</title>
          <text x={0} y={i * rowH + 16} fontSize="11" fill={theme.colors.gray[8]}>
            {it.label.length > 18 ? `${it.label.slice(0, 17)}…` : it.label}
          </text>
          <rect x={labelW} y={i * rowH + 4} width={((w - labelW - 50) * it.value) / max} height={rowH - 8} fill={theme.colors.teal[6]} rx={2} />
          <text x={labelW + ((w - labelW - 50) * it.value) / max + 4} y={i * rowH + 16} fontSize="11" fill={theme.colors.gray[8]}>
            {it.value}
            {it.note ? ` ${it.note}` : ''}
          </text>
        </g>
      ))}
    </svg>
  );
}

export function HeatmapChart(props: { cells: number[][]; dayNames: string[]; testId?: string; valueName: string }) {
  const theme = useMantineTheme();
  const max = Math.max(1, ...props.cells.flat());
  const cw = 26;
  const ch = 22;
  const left = 44;
  const top = 16;
  return (
    <svg viewBox={`0 0 ${left + 24 * cw} ${top + 7 * ch}`} width="100%" role="img" aria-label={props.valueName} data-testid={props.testId}>
      {Array.from({ length: 24 }, (_, hr) => (
        <text key={hr} x={left + hr * cw + cw / 2} y={11} fontSize="9" textAnchor="middle" fill={theme.colors.gray[7]}>
          {hr}
        </text>
      ))}
      {props.cells.map((row, d) => (
        <g key={props.dayNames[d] ?? d}>
          <text x={0} y={top + d * ch + 15} fontSize="10" fill={theme.colors.gray[8]}>
            {props.dayNames[d]}
          </text>
          {row.map((v, hr) => (
            <rect
              key={hr}
              x={left + hr * cw + 1}
              y={top + d * ch + 1}
              width={cw - 2}
              height={ch - 2}
              rx={2}
              fill={v === 0 ? theme.colors.gray[1] : theme.colors.indigo[Math.min(9, 1 + Math.round((v / max) * 8))]}
            >
              <title>{`${props.dayNames[d]} ${hr}:00 — ${props.valueName}: ${v}`}</title>
            </rect>
          ))}
        </g>
      ))}
    </svg>
  );
}
