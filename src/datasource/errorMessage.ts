/** Turns whatever the backend or network threw into a sentence. */
export function errorMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const withData = err as { data?: { message?: unknown; error?: unknown }; message?: unknown; statusText?: unknown };
    for (const candidate of [withData.data?.message, withData.data?.error, withData.message, withData.statusText]) {
      if (typeof candidate === 'string' && candidate) {
        return candidate;
      }
    }
  }
  return String(err);
}
