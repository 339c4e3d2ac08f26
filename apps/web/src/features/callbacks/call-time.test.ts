import { describe, expect, it } from 'vitest';
import { formatDuration, formatInZone, isKnownTimeZone, isoToLocalInput, localInputToIso, parseDuration } from './call-time.ts';

describe('call durations', () => {
  it('reads mm:ss, h:mm:ss and plain seconds', () => {
    expect(parseDuration('4:05')).toBe(245);
    expect(parseDuration(' 0:59 ')).toBe(59);
    expect(parseDuration('1:02:03')).toBe(3723);
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('75:00')).toBe(4500);
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', 'abc', '4:60', '1:60:00', '1:00:60', '-3', '1:2:3:4', '4:', ':30', '1.5']) expect(parseDuration(bad), bad).toBeNull();
  });

  it('writes durations back the same way', () => {
    expect(formatDuration(245)).toBe('4:05');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(0)).toBe('0:00');
    for (const s of [0, 59, 61, 3599, 3600, 86_399]) expect(parseDuration(formatDuration(s))).toBe(s);
  });
});

describe('times in a zone', () => {
  it('shows the same moment in the customer\'s zone', () => {
    const iso = '2026-03-10T12:00:00Z';
    expect(formatInZone(iso, 'en', 'Asia/Kolkata')).toContain('17:30');
    expect(formatInZone(iso, 'en', 'Asia/Dhaka')).toContain('18:00');
    expect(formatInZone(iso, 'en', 'UTC')).toContain('12:00');
  });

  it('falls back to the agent\'s zone for an unknown one', () => {
    expect(isKnownTimeZone('Asia/Dhaka')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
    expect(isKnownTimeZone(null)).toBe(false);
    expect(formatInZone('2026-03-10T12:00:00Z', 'en', 'Mars/Olympus')).toBe(formatInZone('2026-03-10T12:00:00Z', 'en'));
  });

  it('turns a local date-time input into an instant and back', () => {
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('not a date')).toBeNull();
    const iso = localInputToIso('2026-05-01T09:30') as string;
    expect(isoToLocalInput(iso)).toBe('2026-05-01T09:30');
    expect(isoToLocalInput(null)).toBe('');
  });
});
