import { memo, useState } from 'react';
import { getLead } from '../api/leads.js';
import type { Lead, LeadStatus } from '../api/schemas.js';
import { excerpt, formatAge, intentLabel, redditUrl } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { Highlighted } from './highlighted.js';
import { Icon } from './icons.js';
import { ScoreBadge } from './score-badge.js';

export interface LeadActions {
  setStatus: (lead: Lead, status: LeadStatus) => void;
  feedback: (lead: Lead, value: 'good' | 'bad') => void;
}

interface Props {
  lead: Lead;
  focused: boolean;
  selected: boolean;
  now: number;
  campaignName?: string;
  actions: LeadActions;
  onSelect: (id: string, on: boolean) => void;
  onFocus: () => void;
}

export const LeadRow = memo(function LeadRow({ lead, focused, selected, now, campaignName, actions, onSelect, onFocus }: Props) {
  const [expanded, setExpanded] = useState(false);
  // Inbox pages may omit reasons to stay small; the lead itself has them.
  const [fetched, setFetched] = useState<string[]>();
  const reasons = lead.reasons.length > 0 ? lead.reasons : (fetched ?? []);
  const toggleReasons = () => {
    setExpanded((v) => !v);
    if (lead.reasons.length === 0 && fetched === undefined) {
      getLead(lead.id).then(
        (full) => setFetched(full.reasons),
        () => setFetched([]),
      );
    }
  };
  const { item } = lead;
  const heading = item.title || `Comment by u/${item.author}`;
  const text = excerpt(item.body, item.kind === 'comment' ? 320 : 220);
  const reasonsTitle = reasons.length > 0 ? reasons.join('\n') : undefined;
  return (
    <li
      className={`lead${focused ? ' focused' : ''}${selected ? ' selected' : ''} lead-${lead.status}`}
      data-lead-id={lead.id}
      aria-current={focused ? 'true' : undefined}
      onMouseDown={onFocus}
    >
      <input
        type="checkbox"
        className="lead-check"
        aria-label={`Select lead: ${heading}`}
        checked={selected}
        onChange={(e) => onSelect(lead.id, e.target.checked)}
      />
      <ScoreBadge score={lead.score} pending={lead.scoring === 'pending'} />
      <div className="lead-main">
        <Link to={`/leads/${lead.id}`} className="lead-title" title={reasonsTitle}>
          {item.kind === 'comment' && <span className="kind-tag">Re:</span>}
          <Highlighted text={heading} terms={lead.matchedTerms} />
        </Link>
        {text && (
          <p className="lead-excerpt">
            <Highlighted text={text} terms={lead.matchedTerms} />
          </p>
        )}
        <div className="lead-meta">
          <span className="sub">r/{item.subreddit}</span>
          <span>{item.kind}</span>
          <time dateTime={item.createdUtc ?? lead.createdAt} title={item.createdUtc ?? lead.createdAt}>
            {formatAge(item.createdUtc ?? lead.createdAt, now)}
          </time>
          <span>u/{item.author}</span>
          {lead.intent && <span className={`intent intent-${lead.intent}`}>{intentLabel(lead.intent)}</span>}
          {item.source === 'demo' && (
            <span className="tag tag-demo" title="Synthetic demo item, not from Reddit">
              demo
            </span>
          )}
          {lead.status !== 'new' && <span className={`tag tag-status-${lead.status}`}>{lead.status}</span>}
          {campaignName && <span className="muted truncate">{campaignName}</span>}
          {lead.scoring !== 'pending' && (
            <button type="button" className="btn-link small" aria-expanded={expanded} onClick={toggleReasons}>
              {expanded ? 'Hide reasons' : 'Why?'}
            </button>
          )}
        </div>
        {expanded &&
          (reasons.length > 0 ? (
            <ul className="reasons">
              {reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          ) : (
            <p className="muted small">{fetched === undefined ? 'Loading reasons…' : 'No reasons recorded.'}</p>
          ))}
      </div>
      <div className="lead-actions">
        <a className="icon-btn" href={redditUrl(item.permalink)} target="_blank" rel="noreferrer noopener" title="Open on Reddit (o)" aria-label="Open on Reddit">
          <Icon name="external" />
        </a>
        <button
          type="button"
          className={`icon-btn${lead.status === 'contacted' ? ' on' : ''}`}
          title="Mark contacted (c)"
          aria-label="Mark contacted"
          aria-pressed={lead.status === 'contacted'}
          onClick={() => actions.setStatus(lead, lead.status === 'contacted' ? 'new' : 'contacted')}
        >
          <Icon name="mail" />
        </button>
        <button
          type="button"
          className={`icon-btn${lead.status === 'converted' ? ' on' : ''}`}
          title="Mark converted (v)"
          aria-label="Mark converted"
          aria-pressed={lead.status === 'converted'}
          onClick={() => actions.setStatus(lead, lead.status === 'converted' ? 'new' : 'converted')}
        >
          <Icon name="star" />
        </button>
        <button
          type="button"
          className={`icon-btn${lead.status === 'dismissed' ? ' on' : ''}`}
          title="Dismiss (x)"
          aria-label="Dismiss"
          aria-pressed={lead.status === 'dismissed'}
          onClick={() => actions.setStatus(lead, lead.status === 'dismissed' ? 'new' : 'dismissed')}
        >
          <Icon name="dismiss" />
        </button>
        <span className="sep" aria-hidden="true" />
        <button
          type="button"
          className={`icon-btn${lead.feedback === 'good' ? ' on-good' : ''}`}
          title="Good lead (g)"
          aria-label="Good lead"
          aria-pressed={lead.feedback === 'good'}
          onClick={() => actions.feedback(lead, 'good')}
        >
          <Icon name="up" />
        </button>
        <button
          type="button"
          className={`icon-btn${lead.feedback === 'bad' ? ' on-bad' : ''}`}
          title="Bad lead (b)"
          aria-label="Bad lead"
          aria-pressed={lead.feedback === 'bad'}
          onClick={() => actions.feedback(lead, 'bad')}
        >
          <Icon name="down" />
        </button>
      </div>
    </li>
  );
});
