import type { Preview } from '../api/schemas.js';
import { formatAge, redditUrl } from '../lib/format.js';
import { Highlighted } from './highlighted.js';
import { ErrorState, Loading } from './states.js';

/** idle: no rule written yet; invalid: the parser rejected a rule (errors show under it). */
export type PreviewState = 'idle' | 'loading' | 'ready' | 'invalid' | 'error';

export function PreviewPanel({ state, data, error, unavailable }: { state: PreviewState; data?: Preview; error?: unknown; unavailable: boolean }) {
  const now = Date.now();
  return (
    <aside className="card preview" aria-label="Preview" aria-busy={state === 'loading'}>
      <h2>
        Preview
        {data && state === 'ready' && (
          <span className="muted small">
            {' '}
            {data.matches.length} of {data.scanned} recent items
          </span>
        )}
      </h2>
      {state === 'idle' ? (
        <p className="muted">Write a rule to see which recent posts and comments it would match.</p>
      ) : unavailable ? (
        <p className="muted">The rules are valid. Previewing matches is not available on this server yet.</p>
      ) : state === 'error' ? (
        <ErrorState error={error} what="Preview" />
      ) : state === 'invalid' ? (
        <p className="muted">Fix the highlighted rule to see a preview.</p>
      ) : state === 'loading' && !data ? (
        <Loading label="Checking rules and matching recent items…" />
      ) : data && data.scanned === 0 ? (
        <p className="muted">No posts or comments are stored yet; once the campaign is saved and reading starts, the preview fills in.</p>
      ) : data && data.matches.length === 0 ? (
        <p className="muted">None of the {data.scanned} most recent items matches these rules. Broaden a rule or add subreddits.</p>
      ) : (
        <ul className="preview-list">
          {data?.matches.map((m) => (
            <li key={m.fullname}>
              <a href={redditUrl(m.permalink)} target="_blank" rel="noreferrer noopener" className="preview-title">
                <Highlighted text={m.title || `Comment by u/${m.author}`} terms={m.matchedTerms} />
              </a>
              {m.excerpt && (
                <p className="lead-excerpt">
                  <Highlighted text={m.excerpt} terms={m.matchedTerms} />
                </p>
              )}
              <div className="lead-meta">
                <span className="sub">r/{m.subreddit}</span>
                <span>{m.kind}</span>
                <span>{formatAge(m.createdUtc, now)}</span>
                {m.matchedTerms.slice(0, 4).map((t) => (
                  <span key={t} className="tag">
                    {t}
                  </span>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
