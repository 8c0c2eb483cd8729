/** A channel refused or could not take a message; `permanent` means retrying cannot help. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** 408, 425, 429 and 5xx may pass later; any other non-2xx (including redirects) will not. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}
