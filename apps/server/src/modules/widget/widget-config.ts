import type { PreChatField, WidgetPublicConfig } from '@seva/contracts';
import type { Deps } from '../../platform/deps.ts';
import { widgetAvailability } from '../chat/index.ts';
import type { WidgetRow } from './widget.repository.ts';
import { widgetLanguage } from './widget-language.ts';

/** What the launcher needs for its first paint; availability from the widget's calendar and who is online. */
export async function toPublicConfig(deps: Deps, widget: WidgetRow): Promise<WidgetPublicConfig> {
  const availability = await widgetAvailability(deps.db, { id: widget.id, teamId: widget.teamId }, deps.clock.now());
  return {
    key: widget.publicKey,
    name: widget.name,
    primaryColor: /^#[0-9a-f]{6}$/i.test(widget.primaryColor) ? widget.primaryColor : '#1c7ed6',
    position: widget.position === 'left' ? 'left' : 'right',
    defaultLanguage: widgetLanguage(widget.defaultLanguage) ?? 'en',
    greetings: widget.greetings,
    options: widget.options,
    preChatFields: widget.preChatFields as PreChatField[],
    isOpen: availability.isOpen,
    agentsAvailable: availability.agentsAvailable,
    opensAt: availability.opensAt,
  };
}
