import type { ReactNode } from 'react';
import { ApiError, isMissingRoute } from '../api/client.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/** An error with a retry; a route the server does not offer yet reads as "not available", not as a failure. */
export function ErrorState({ error, retry, what = 'This' }: { error: unknown; retry?: () => void; what?: string }) {
  if (isMissingRoute(error)) {
    return (
      <div className="state state-empty">
        <strong>Not available on this server yet</strong>
        <div className="muted">{what} will appear here once the server supports it.</div>
      </div>
    );
  }
  return (
    <div className="state state-error" role="alert">
      <strong>Could not load.</strong>
      <div>{errorMessage(error)}</div>
      {retry && (
        <button type="button" className="btn" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
