import { useEffect, useState } from 'react';
import { isMissingRoute } from '../api/client.js';
import { draftReply, getLead, postReply, sendFeedback, setLeadStatus } from '../api/leads.js';
import { LEAD_STATUSES, type LeadStatus } from '../api/schemas.js';
import { listRedditAccounts } from '../api/settings.js';
import { Highlighted } from '../components/highlighted.js';
import { Icon } from '../components/icons.js';
import { ScoreBadge } from '../components/score-badge.js';
import { ErrorState, errorMessage, Loading } from '../components/states.js';
import { formatAge, intentLabel, redditUrl } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { toast } from '../lib/toast.js';
import { useAsync } from '../lib/use-async.js';

const STATUS_LABEL: Record<LeadStatus, string> = { new: 'New', contacted: 'Contacted', dismissed: 'Dismissed', converted: 'Converted' };

export function LeadDetailPage({ id }: { id: string }) {
  const lead = useAsync(() => getLead(id), [id]);
  const accounts = useAsync(() => listRedditAccounts().catch(() => []), []);
  const [draft, setDraft] = useState<string>();
  const [replyId, setReplyId] = useState<string>();
  const [drafting, setDrafting] = useState(false);
  const [posting, setPosting] = useState(false);

  // Reopening a lead picks up its last unposted draft.
  useEffect(() => {
    const saved = lead.data?.replies.find((r) => r.status === 'draft');
    if (!saved) return;
    setDraft((d) => d ?? saved.text ?? saved.draft);
    setReplyId((id) => id ?? saved.id);
  }, [lead.data]);

  if (lead.status === 'error') return <ErrorState error={lead.error} retry={lead.reload} what="This lead" />;
  if (!lead.data) return <Loading />;
  const l = lead.data;
  const { item } = l;
  const sent = l.replies.find((r) => r.status !== 'draft');

  const setStatus = (status: LeadStatus) => {
    const before = l;
    lead.set({ ...l, status });
    setLeadStatus(l.id, status).then(
      () => toast(`Marked ${status}`),
      (e: unknown) => {
        lead.set(before);
        toast(`Could not update: ${errorMessage(e)}`, 'error');
      },
    );
  };
  const feedback = (value: 'good' | 'bad') => {
    lead.set({ ...l, feedback: value });
    sendFeedback(l.id, value).catch((e: unknown) => toast(`Could not send feedback: ${errorMessage(e)}`, 'error'));
  };
  const makeDraft = async () => {
    setDrafting(true);
    try {
      const r = await draftReply(l.id);
      setDraft(r.draft);
      setReplyId(r.id);
    } catch (e) {
      toast(isMissingRoute(e) ? 'Reply drafts are not available on this server yet.' : `Could not draft: ${errorMessage(e)}`, 'error');
    } finally {
      setDrafting(false);
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(draft ?? '');
      toast('Copied');
    } catch {
      toast('Copy is blocked here; select the text and copy it.', 'error');
    }
  };
  const account = accounts.data?.[0];
  const post = async () => {
    if (!draft || !account) return;
    if (!window.confirm(`Post this reply on Reddit as u/${account.username}?`)) return;
    setPosting(true);
    try {
      await postReply(l.id, draft, account.id, replyId);
      toast('Reply queued for posting');
      if (l.status === 'new') setStatus('contacted');
    } catch (e) {
      toast(`Could not post: ${errorMessage(e)}`, 'error');
    } finally {
      setPosting(false);
    }
  };

  return (
    <div className="page">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to={`/?campaign=${l.campaignId}`}>← {l.campaignName ?? 'Inbox'}</Link>
      </nav>
      <article className="card detail">
        <header className="detail-head">
          <ScoreBadge score={l.score} pending={l.scoring === 'pending'} />
          <div>
            <h1 className="detail-title">
              <Highlighted text={item.title || `Comment by u/${item.author}`} terms={l.matchedTerms} />
            </h1>
            <div className="lead-meta">
              <span className="sub">r/{item.subreddit}</span>
              <span>{item.kind === 'comment' ? 'comment in this thread' : 'post'}</span>
              <span>u/{item.author}</span>
              <time dateTime={item.createdUtc}>{formatAge(item.createdUtc, Date.now())} ago</time>
              {l.intent && <span className={`intent intent-${l.intent}`}>{intentLabel(l.intent)}</span>}
              {item.source === 'demo' && <span className="tag tag-demo">demo</span>}
            </div>
          </div>
        </header>
        <div className="detail-body">
          <Highlighted text={item.body} terms={l.matchedTerms} />
        </div>
        <div className="detail-actions">
          <a className="btn" href={redditUrl(item.permalink)} target="_blank" rel="noreferrer noopener">
            Open on Reddit <Icon name="external" size={14} />
          </a>
          <fieldset className="segmented">
            <legend className="sr-only">Status</legend>
            {LEAD_STATUSES.map((s) => (
              <button key={s} type="button" className={l.status === s ? 'active' : undefined} aria-pressed={l.status === s} onClick={() => setStatus(s)}>
                {STATUS_LABEL[s]}
              </button>
            ))}
          </fieldset>
          <fieldset className="segmented">
            <legend className="sr-only">Feedback</legend>
            <button type="button" className={l.feedback === 'good' ? 'active' : undefined} aria-pressed={l.feedback === 'good'} onClick={() => feedback('good')}>
              <Icon name="up" size={14} /> Good lead
            </button>
            <button type="button" className={l.feedback === 'bad' ? 'active' : undefined} aria-pressed={l.feedback === 'bad'} onClick={() => feedback('bad')}>
              <Icon name="down" size={14} /> Bad lead
            </button>
          </fieldset>
        </div>
      </article>

      <div className="grid-2">
        <section className="card">
          <h2>Why this lead</h2>
          {l.reasons.length > 0 ? (
            <ul className="reasons">
              {l.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">{l.scoring === 'pending' ? 'Scoring is in progress.' : 'No reasons recorded.'}</p>
          )}
          {l.matchedTerms.length > 0 && (
            <p className="small">
              Matched:{' '}
              {l.matchedTerms.map((t) => (
                <span key={t} className="tag">
                  {t}
                </span>
              ))}
            </p>
          )}
        </section>
        <section className="card">
          <h2>Reply</h2>
          {sent && (
            <p className={`small ${sent.status === 'failed' ? 'danger' : 'muted'}`} role="status">
              Last reply: {sent.status}
              {sent.error ? ` (${sent.error})` : ''}
            </p>
          )}
          {draft === undefined ? (
            <>
              <p className="muted small">Get a draft written from your product description; edit it before you post. Nothing is posted without you.</p>
              <button type="button" className="btn btn-primary" onClick={makeDraft} disabled={drafting}>
                {drafting ? 'Drafting…' : 'Draft a reply'}
              </button>
            </>
          ) : (
            <>
              <label htmlFor="reply" className="sr-only">
                Reply text
              </label>
              <textarea id="reply" className="reply" rows={8} value={draft} onChange={(e) => setDraft(e.target.value)} />
              <div className="row">
                <button type="button" className="btn" onClick={copy}>
                  Copy
                </button>
                <button type="button" className="btn" onClick={makeDraft} disabled={drafting}>
                  {drafting ? 'Drafting…' : 'Redraft'}
                </button>
                {account ? (
                  <button type="button" className="btn btn-primary" onClick={post} disabled={posting || !draft.trim()}>
                    {posting ? 'Posting…' : `Post as u/${account.username}`}
                  </button>
                ) : (
                  <span className="muted small">
                    <Link to="/settings">Connect a Reddit account</Link> to post from here.
                  </span>
                )}
              </div>
            </>
          )}
        </section>
      </div>
    </div>
  );
}
