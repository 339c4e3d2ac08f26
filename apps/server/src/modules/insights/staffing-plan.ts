import { agentsForServiceLevel } from './erlang-c.ts';

/** How a channel is staffed: phone and chat queue (Erlang C), everything else is a workload (email, web, api). */
export type ChannelMode = 'queue' | 'chat' | 'workload';

export function channelMode(channel: string): ChannelMode {
  if (channel === 'phone') return 'queue';
  if (channel === 'chat' || channel === 'whatsapp' || channel === 'messenger' || channel === 'instagram' || channel === 'telegram' || channel === 'sms') return 'chat';
  return 'workload';
}

export interface StaffingParameters {
  /** share of contacts answered within targetSeconds, e.g. 0.8 */
  serviceLevel: number;
  targetSeconds: number;
  /** chats one agent handles at once */
  chatConcurrency: number;
  /** share of paid time agents are not available (breaks, training, absence), e.g. 0.3 */
  shrinkage: number;
  /** for workload channels: the share of time an agent is busy, e.g. 0.85 */
  occupancy: number;
}

export interface ChannelHourInput {
  channel: string;
  arrivalsPerHour: number;
  handleSeconds: number;
}

/** Agents needed on the floor (before shrinkage) for one channel in one hour. */
export function agentsNeededForChannel(c: ChannelHourInput, p: StaffingParameters): number {
  if (c.arrivalsPerHour <= 0 || c.handleSeconds <= 0) return 0;
  const mode = channelMode(c.channel);
  if (mode === 'workload') return (c.arrivalsPerHour * c.handleSeconds) / 3600 / p.occupancy;
  // a chat agent serving k chats at once behaves like k agents each k times slower, so the queue sees
  // k× the servers; we size the queue in "chat slots" and divide by k
  const handle = c.handleSeconds;
  const slots = agentsForServiceLevel({
    arrivalsPerHour: c.arrivalsPerHour,
    handleSeconds: handle,
    targetSeconds: p.targetSeconds,
    target: p.serviceLevel,
  });
  return mode === 'chat' ? slots / Math.max(1, p.chatConcurrency) : slots;
}

export interface HourPlan {
  /** 0 = Sunday */
  weekday: number;
  hour: number;
  arrivals: number;
  /** agents on the floor, summed over channels */
  onFloor: number;
  /** rostered agents needed after shrinkage (whole people) */
  required: number;
  scheduled: number;
  gap: number;
}

/** Rostered agents needed: channel needs summed, grossed up for shrinkage, rounded up to whole people. */
export function requiredAgents(channels: ChannelHourInput[], p: StaffingParameters): { onFloor: number; required: number } {
  const onFloor = channels.reduce((s, c) => s + agentsNeededForChannel(c, p), 0);
  if (onFloor <= 0) return { onFloor: 0, required: 0 };
  return { onFloor, required: Math.ceil(onFloor / (1 - Math.min(0.95, Math.max(0, p.shrinkage))) - 1e-9) };
}

export interface ShiftSuggestion {
  weekday: number;
  startHour: number;
  endHour: number;
  agents: number;
}

/**
 * Part-time shifts that close the gaps: for each weekday, every run of consecutive under-staffed hours becomes
 * shifts (layered, so a run short by 2 at its peak and 1 at its edges gets a long shift and a short one),
 * each at least `minHours` long.
 */
export function suggestPartTimeShifts(plan: HourPlan[], minHours = 3): ShiftSuggestion[] {
  const out: ShiftSuggestion[] = [];
  for (let day = 0; day < 7; day += 1) {
    const gaps = Array.from({ length: 24 }, (_, h) => Math.max(0, plan.find((p) => p.weekday === day && p.hour === h)?.gap ?? 0));
    for (let level = 1; level <= Math.max(0, ...gaps); level += 1) {
      let h = 0;
      while (h < 24) {
        if ((gaps[h] ?? 0) < level) {
          h += 1;
          continue;
        }
        const start = h;
        while (h < 24 && (gaps[h] ?? 0) >= level) h += 1;
        let end = h;
        if (end - start < minHours) end = Math.min(24, start + minHours);
        const prev = out.at(-1);
        if (prev && prev.weekday === day && prev.startHour === start && prev.endHour === end) prev.agents += 1;
        else out.push({ weekday: day, startHour: start, endHour: end, agents: 1 });
      }
    }
  }
  return out;
}
