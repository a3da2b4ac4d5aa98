/**
 * Keeps secrets out of every message we print. Secrets are registered as soon as they are known
 * (config values, exchanged tokens); every free-text field of LOG, TRACE and CONNECTION_STATUS
 * messages goes through `redact` before it reaches stdout.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined | null): void {
    if (!secret || secret.length < 4) return;
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) {
      this.secrets.add(form);
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join('****');
    }
    // Belt and braces for secrets we were never told about: credentials in URLs and headers.
    return out
      .replace(/([?&](?:secret|token|api_key|apikey|access_token|password)=)[^&\s"']+/gi, '$1****')
      .replace(/(authorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+(?:token=)?)[^\s"',}]+/gi, '$1****');
  }
}
