import { describe, expect, it } from 'vitest';
import { announcementFromHash, announcementReminder } from './announcement-reminder.ts';

const id = '0b6f4c1e-6a1d-4f7e-9c3a-2d5e8f9a1b2c';

describe('announcement reminders in the agent app', () => {
  it('reads the announcement and its title from the live reminder', () => {
    expect(
      announcementReminder({
        type: 'kb_announcement.reminded',
        payload: { announcementId: id, title: 'New refund rule' },
      }),
    ).toEqual({
      announcementId: id,
      title: 'New refund rule',
    });
  });

  it('ignores other messages and reminders without a proper id', () => {
    expect(announcementReminder({ type: 'ticket.mentioned', payload: { announcementId: id } })).toBeNull();
    expect(announcementReminder({ type: 'kb_announcement.reminded', payload: { announcementId: '../x' } })).toBeNull();
    expect(announcementReminder(null)).toBeNull();
  });

  it('finds the announcement a link points at', () => {
    expect(announcementFromHash(`#announcement-${id}`)).toBe(id);
    expect(announcementFromHash('#other')).toBeNull();
    expect(announcementFromHash('')).toBeNull();
  });
});
