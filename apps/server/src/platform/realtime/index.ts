export { type EventNote, type ListenerState, PgEventListener } from './event-listener.ts';
export { isAllowedOrigin } from './origin.ts';
export { CLOSE_CREDENTIALS_REVOKED, type RealtimeCredential, RealtimeHub } from './realtime-hub.ts';
export { findRealtimeHub, registerRealtimeHub, unregisterRealtimeHub } from './registry.ts';
