// Why a connection failed, in one line a person can act on: which server, what went wrong, what to
// check. Never the password: every message passes through redact() before it leaves this package.
import { describeServer, type PostgresSettings } from './settings';

export class PostgresConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresConnectionError';
    // An operational failure, not a bug: the frames inside pg say nothing useful.
    this.stack = `${this.name}: ${message}`;
  }
}

interface PgLikeError {
  code?: string;
  message?: string;
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running and listening there?)',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  ECONNRESET: 'the server closed the connection',
  ENOENT: 'no server socket there (is the server running?)',
};

/** The one line for an error raised while connecting; undefined when it is not a connection error. */
export function connectionFailure(
  error: unknown,
  settings: PostgresSettings,
): PostgresConnectionError | undefined {
  const e = (error ?? {}) as PgLikeError;
  const where = `PostgreSQL ${describeServer(settings)}`;
  const message = String(e.message ?? error);
  let line: string | undefined;
  if (e.code === '28P01' || /password authentication failed/.test(message))
    line = `${where}: login refused: ${message} (check ${settings.passwordSource} or ~/.pgpass)`;
  else if (/client password must be a string|no password supplied/i.test(message))
    line = `${where}: the server asks for a password and none is set (set ${settings.passwordSource} or ~/.pgpass)`;
  else if (e.code === '28000' || e.code === '3D000' || e.code === '57P03' || e.code === '53300')
    line = `${where}: ${message}`;
  else if (e.code && NETWORK[e.code]) line = `${where}: cannot connect: ${NETWORK[e.code]}`;
  else if (/timeout/i.test(message))
    line = `${where}: cannot connect: no answer within ${settings.connectTimeoutMs} ms`;
  else if (/self.signed|certificate|does not support SSL/i.test(message)) line = `${where}: TLS: ${message}`;
  return line === undefined ? undefined : new PostgresConnectionError(redact(line, settings));
}

/** `text` with the password, if it appears at all, replaced. */
export function redact(text: string, settings: Pick<PostgresSettings, 'password'>): string {
  const secret = settings.password;
  return secret ? text.split(secret).join('***') : text;
}

/** The same error with the password removed from its message and stack, for anything thrown onwards. */
export function redactError<T>(error: T, settings: PostgresSettings): T {
  if (error instanceof Error && settings.password) {
    error.message = redact(error.message, settings);
    if (error.stack) error.stack = redact(error.stack, settings);
  }
  return error;
}
