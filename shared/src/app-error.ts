/** One offending input field, named as the client sent it. */
export interface FieldError {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  /** HTTP status the error handler answers with. */
  status: number;
  /** False for bugs and broken invariants: those are logged as errors and answered with a bare 500. */
  isOperational?: boolean;
  details?: FieldError[];
  cause?: unknown;
}

/**
 * The one error type the platform throws on purpose. `code` is kebab-case and stable: clients
 * branch on it, so changing one is a breaking API change.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly isOperational: boolean;
  readonly details?: FieldError[];

  constructor(code: string, message: string, options: AppErrorOptions) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = options.status;
    this.isOperational = options.isOperational ?? true;
    this.details = options.details;
  }
}
