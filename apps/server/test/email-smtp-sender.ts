import nodemailer, { type Mail } from 'nodemailer';

/** One answer the listener gave to a whole transaction (or the connection error in its place). */
export interface SmtpAnswer {
  index: number;
  code: number | null;
  error: string | null;
}

export interface SenderLanes {
  /** indexes the listener acknowledged with 250 */
  acked: Set<number>;
  /** indexes handed to the listener and not yet acknowledged */
  inFlight: Set<number>;
  /** every answer, in order: 250s, 4xx, 5xx and connection errors */
  answers: SmtpAnswer[];
  /** resolves once every message is acknowledged (rejects on a 5xx or when the deadline passes) */
  done: Promise<void>;
  stop(): void;
}

export interface SenderOptions {
  /** the listener's current port (it may change between attempts when the server restarts) */
  port: () => number;
  count: number;
  lanes: number;
  envelopeTo: string;
  raw: (index: number) => string;
  deadlineMs: number;
  /** extra STARTTLS options for nodemailer; default: plain SMTP */
  tls?: { ca: string };
}

/**
 * Plays a well-behaved sending MTA: `lanes` connections send messages 0..count-1, and a message that was not
 * acknowledged with 250 (4xx, a dropped connection, a refused connection while the server is down) is sent again
 * until it is. A 5xx is a permanent refusal, which a sender would bounce: it fails `done`.
 */
export function startSenderLanes(opts: SenderOptions): SenderLanes {
  const acked = new Set<number>();
  const inFlight = new Set<number>();
  const answers: SmtpAnswer[] = [];
  let next = 0;
  let stopped = false;
  const deadline = Date.now() + opts.deadlineMs;

  // like a real MTA, each lane keeps its connection for many messages (one connection per message would trip
  // the listener's per-address connection limit) and opens a new one after any failure
  const sendOnce = async (lane: { transport: Mail | null }, index: number): Promise<number> => {
    lane.transport ??= nodemailer.createTransport({
      pool: true,
      maxConnections: 1,
      maxMessages: Number.POSITIVE_INFINITY,
      host: '127.0.0.1',
      port: opts.port(),
      secure: false,
      ...(opts.tls ? { requireTLS: true, tls: { ca: opts.tls.ca, servername: 'localhost' } } : { ignoreTLS: true }),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    try {
      inFlight.add(index);
      await lane.transport.sendMail({
        envelope: { from: `sender${index}@example.net`, to: [opts.envelopeTo] },
        raw: opts.raw(index),
      });
      acked.add(index);
      answers.push({ index, code: 250, error: null });
      return 250;
    } catch (err) {
      const e = err as { responseCode?: number; message?: string };
      answers.push({ index, code: e.responseCode ?? null, error: e.message ?? String(err) });
      // a refused command leaves the session usable; a dropped or refused connection (or 421) needs a new one
      if (e.responseCode === undefined || e.responseCode === 421) {
        lane.transport.close();
        lane.transport = null;
      }
      return e.responseCode ?? 0;
    } finally {
      inFlight.delete(index);
    }
  };

  const lane = async (): Promise<void> => {
    const state: { transport: Mail | null } = { transport: null };
    try {
      await runLane(state);
    } finally {
      state.transport?.close();
    }
  };
  const runLane = async (state: { transport: Mail | null }): Promise<void> => {
    while (!stopped) {
      const index = next;
      if (index >= opts.count) return;
      next += 1;
      for (;;) {
        if (stopped) return;
        if (Date.now() > deadline)
          throw new Error(
            `message ${index} was never acknowledged (last: ${JSON.stringify(answers.filter((a) => a.index === index).at(-1))})`,
          );
        const code = await sendOnce(state, index);
        if (code === 250) break;
        if (code >= 500)
          throw new Error(`message ${index} was refused permanently (${code}): ${answers.at(-1)?.error}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };

  const done = Promise.all(Array.from({ length: opts.lanes }, () => lane())).then(() => undefined);
  done.catch(() => {
    stopped = true;
  });
  return {
    acked,
    inFlight,
    answers,
    done,
    stop: () => {
      stopped = true;
    },
  };
}
