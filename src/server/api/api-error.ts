import type { StoredAnswer } from '../../store/idempotent-requests.ts';

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

/**
 * `work`'s answer, with a refusal it throws (an error `refusal` turns into an ApiError rather than
 * null) as the answer instead of an exception, so that the transaction it was decided in commits:
 * the refusal's audit entry stays, and a retry under the same Idempotency-Key gets the same refusal.
 */
export async function refusalAsAnswer(refusal: (error: unknown) => ApiError | null, work: () => Promise<StoredAnswer>): Promise<StoredAnswer> {
  try {
    return await work();
  } catch (error) {
    const refused = refusal(error);
    if (refused === null) throw error;
    return { statusCode: refused.statusCode, body: refused.body() };
  }
}
