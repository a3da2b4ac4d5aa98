/** Where the engine's human-readable messages go; the CLI turns them into LOG messages. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, stack?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
