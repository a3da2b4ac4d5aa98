import { createHmac, timingSafeEqual } from 'node:crypto';

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/**
 * HS256 JWTs like the ones `GET /token` hands out. `exp` is a NumericDate that may carry a fraction
 * (RFC 7519 allows it), so sub-second TTLs in tests expire when they should.
 */
export class TokenIssuer {
  private readonly key: Buffer;

  constructor(
    seed: number,
    private readonly account: string,
  ) {
    this.key = Buffer.from(`leapsome-sandbox-signing-key:${seed}`);
  }

  issue(nowMs: number, ttlSeconds: number): string {
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64url(JSON.stringify({ sub: this.account, scope: 'content-api', iat: Math.floor(nowMs / 1000), exp: (nowMs + ttlSeconds * 1000) / 1000 }));
    return `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
  }

  /** Undefined when valid, else the message the jsonwebtoken library would give. */
  verify(token: string, nowMs: number): string | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return 'jwt malformed';
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const actual = Buffer.from(signature);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return 'invalid signature';
    let claims: { exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    } catch {
      return 'jwt malformed';
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return 'jwt expired';
    return undefined;
  }

  private sign(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

/** The bearer token of an Authorization header, if it has the Bearer scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : undefined;
}
