/**
 * The one shape of every error the API returns:
 *   { "error": { "code": "case-not-found", "message": { "zh": "…", "en": "…" }, "details"?: … } }
 * `code` is stable and machine-readable; `message` is for a person, in Chinese and English.
 */
export interface Bilingual {
  zh: string;
  en: string;
}

export interface ErrorBody {
  error: { code: string; message: Bilingual; details?: unknown };
}

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly bilingual: Bilingual;
  readonly details: unknown;

  constructor(statusCode: number, code: string, message: Bilingual, details?: unknown) {
    super(message.en);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.bilingual = message;
    this.details = details;
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.bilingual, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export const notFound = (what: Bilingual) => new ApiError(404, 'not-found', { zh: `未找到${what.zh}`, en: `no such ${what.en}` });
