/**
 * What one ticket adds to the hourly rollups. A ticket's contribution is a pure function of its facts, so keeping
 * the rollups right when a ticket changes is: subtract the old contribution, add the new one.
 */
export interface TicketFacts {
  createdAt: Date;
  channel: string;
  categoryId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  language: string | null;
  tags: string[];
  firstResponseAt: Date | null;
  solvedAt: Date | null;
}

export interface HourlyKey {
  hour: string;
  channel: string;
  categoryKey: string;
  teamKey: string;
  assigneeKey: string;
  languageKey: string;
}

export interface HourlyDelta extends HourlyKey {
  created: number;
  solved: number;
  firstResponses: number;
  firstResponseSecondsSum: number;
  resolutionSecondsSum: number;
}

export interface TagDelta {
  hour: string;
  tag: string;
  channel: string;
  created: number;
}

/** The start of the UTC hour containing `d`, as an ISO string (the rollup key). */
export function hourOf(d: Date): string {
  const h = new Date(d.getTime());
  h.setUTCMinutes(0, 0, 0);
  return h.toISOString();
}

export function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}

function keyOf(f: TicketFacts, at: Date): HourlyKey {
  return {
    hour: hourOf(at),
    channel: f.channel,
    categoryKey: f.categoryId ?? '',
    teamKey: f.teamId ?? '',
    assigneeKey: f.assigneeId ?? '',
    languageKey: f.language ?? '',
  };
}

const zero = { created: 0, solved: 0, firstResponses: 0, firstResponseSecondsSum: 0, resolutionSecondsSum: 0 };

/** The hourly rows one ticket contributes, multiplied by `sign` (+1 to add, -1 to remove). */
export function hourlyContribution(f: TicketFacts, sign: 1 | -1): HourlyDelta[] {
  const out: HourlyDelta[] = [{ ...keyOf(f, f.createdAt), ...zero, created: sign }];
  if (f.firstResponseAt) {
    out.push({
      ...keyOf(f, f.firstResponseAt),
      ...zero,
      firstResponses: sign,
      firstResponseSecondsSum: sign * secondsBetween(f.createdAt, f.firstResponseAt),
    });
  }
  if (f.solvedAt) {
    out.push({ ...keyOf(f, f.solvedAt), ...zero, solved: sign, resolutionSecondsSum: sign * secondsBetween(f.createdAt, f.solvedAt) });
  }
  return out;
}

export function tagContribution(f: TicketFacts, sign: 1 | -1): TagDelta[] {
  const hour = hourOf(f.createdAt);
  return [...new Set(f.tags)].map((tag) => ({ hour, tag, channel: f.channel, created: sign }));
}

/** Merges deltas with the same key and drops those that cancel out (an unchanged ticket writes nothing). */
export function netHourly(deltas: HourlyDelta[]): HourlyDelta[] {
  const m = new Map<string, HourlyDelta>();
  for (const d of deltas) {
    const k = [d.hour, d.channel, d.categoryKey, d.teamKey, d.assigneeKey, d.languageKey].join('\u0000');
    const cur = m.get(k);
    if (!cur) {
      m.set(k, { ...d });
      continue;
    }
    cur.created += d.created;
    cur.solved += d.solved;
    cur.firstResponses += d.firstResponses;
    cur.firstResponseSecondsSum += d.firstResponseSecondsSum;
    cur.resolutionSecondsSum += d.resolutionSecondsSum;
  }
  return [...m.values()].filter(
    (d) => d.created || d.solved || d.firstResponses || d.firstResponseSecondsSum || d.resolutionSecondsSum,
  );
}

export function netTags(deltas: TagDelta[]): TagDelta[] {
  const m = new Map<string, TagDelta>();
  for (const d of deltas) {
    const k = [d.hour, d.tag, d.channel].join('\u0000');
    const cur = m.get(k);
    if (cur) cur.created += d.created;
    else m.set(k, { ...d });
  }
  return [...m.values()].filter((d) => d.created !== 0);
}
