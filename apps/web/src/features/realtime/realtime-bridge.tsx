/** Placeholder: subscribes to /api/v1/realtime and invalidates queries (the realtime feature fills this in). */
export function RealtimeBridge() {
  return null;
}
