import pg from 'pg';

/**
 * Records the text of every statement any node-postgres client sends until `stop()` (round-trip counting in tests).
 * Always stop it in a `finally`: the patch is process-wide.
 */
export function recordQueryTexts(): { texts: string[]; stop: () => void } {
  const texts: string[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { text: string };
    texts.push(typeof q === 'string' ? q : q.text);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as never;
  return {
    texts,
    stop: () => {
      pg.Client.prototype.query = query;
    },
  };
}
