import { SMTPServer } from 'smtp-server';

export interface Received {
  raw: string;
  to: string[];
}

export interface Sink {
  port: number;
  /** every message accepted (answered 250, or about to be while held), in order */
  mails: Received[];
  /** messages received whole but answered with a transient error (failNext) */
  refused: Received[];
  /**
   * From now on the sink takes each message whole at once but keeps its answer until the returned function is called
   * (a relay slow to confirm): a test can look at what happens while a send is in flight.
   */
  hold(): () => void;
  /** the next n messages are answered `451 4.3.0` after their data (a transient relay failure) */
  failNext(n: number): void;
  close(): Promise<void>;
}

/** A real SMTP sink standing in for the outbound relay: every message it accepts, raw, with its recipients. */
export async function startSink(): Promise<Sink> {
  const mails: Received[] = [];
  const refused: Received[] = [];
  let held: Array<() => void> | null = null;
  let failures = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = { raw: Buffer.concat(chunks).toString('utf8'), to: session.envelope.rcptTo.map((r) => r.address) };
        let answer = () => cb();
        if (failures > 0) {
          failures -= 1;
          refused.push(mail);
          answer = () => cb(Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 }));
        } else {
          mails.push(mail);
        }
        if (held) held.push(answer);
        else answer();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    mails,
    refused,
    hold() {
      const answers: Array<() => void> = [];
      held = answers;
      return () => {
        if (held === answers) held = null;
        for (const answer of answers.splice(0)) answer();
      };
    },
    failNext(n) {
      failures = n;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The first text part of a raw message, decoded (base64 or quoted-printable), for assertions on what was sent. */
export function textOf(raw: string): string {
  const m =
    /Content-Transfer-Encoding: (base64|quoted-printable|7bit|8bit)\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)(?:\r?\n--|$)/i.exec(
      raw,
    );
  if (!m) return raw;
  const body = m[2] ?? '';
  const enc = m[1]?.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  }
  return body;
}
