import { useEffect, useRef, useState } from 'react';
import { type CampaignDraft, createCampaign, emptyDraft, getCampaign, previewCampaign, ruleErrorsOf, suggestSubreddits, updateCampaign } from '../api/campaigns.js';
import { ApiError, isMissingRoute } from '../api/client.js';
import type { Preview, RuleError } from '../api/schemas.js';
import { useApp } from '../app-context.js';
import { ChipsInput } from '../components/chips-input.js';
import { Field, RuleCaret } from '../components/editor-fields.js';
import { PreviewPanel, type PreviewState } from '../components/preview-panel.js';
import { ErrorState, errorMessage, Loading } from '../components/states.js';
import { Link, navigate, useLocation } from '../lib/router.js';
import { toast } from '../lib/toast.js';
import { useAsync } from '../lib/use-async.js';

/** Offered before the server can suggest: places where people ask for tools. */
const STARTER_SUBREDDITS = ['saas', 'startups', 'entrepreneur', 'smallbusiness', 'marketing', 'sales', 'sideproject', 'webdev'];

const subredditName = (v: string) => v.trim().toLowerCase().replace(/^\/?r\//, '');

export function CampaignEditorPage({ id }: { id?: string }) {
  const { query } = useLocation();
  const loaded = useAsync(async () => {
    if (!id) {
      const fromOnboarding = sessionStorage.getItem('subscout:draft');
      sessionStorage.removeItem('subscout:draft');
      const base = emptyDraft();
      if (fromOnboarding) Object.assign(base, JSON.parse(fromOnboarding) as Partial<CampaignDraft>);
      const url = query.get('url');
      if (url) base.productUrl = url;
      if (base.rules.length === 0) base.rules = [''];
      return base;
    }
    const { id: _id, status: _s, createdAt: _c, ...rest } = await getCampaign(id);
    return { ...rest, rules: rest.rules.length > 0 ? rest.rules : [''] };
  }, [id]);
  if (loaded.status === 'error') return <ErrorState error={loaded.error} retry={loaded.reload} what="This campaign" />;
  if (!loaded.data) return <Loading />;
  return <Editor id={id} initial={loaded.data} />;
}

function Editor({ id, initial }: { id?: string; initial: CampaignDraft }) {
  const { reloadCampaigns } = useApp();
  const [d, setD] = useState<CampaignDraft>(initial);
  const [errors, setErrors] = useState<RuleError[]>([]);
  const [preview, setPreview] = useState<{ state: PreviewState; data?: Preview; error?: unknown }>({ state: 'idle' });
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string>();
  const [subQuery, setSubQuery] = useState('');
  const [suggested, setSuggested] = useState<string[]>(STARTER_SUBREDDITS);
  const set = <K extends keyof CampaignDraft>(k: K, v: CampaignDraft[K]) => setD((x) => ({ ...x, [k]: v }));

  // Live validation and preview: the API's parser is the one truth about rules.
  const ruleKey = JSON.stringify([d.rules, d.negativeKeywords, d.subreddits, d.subredditDeny, d.authorDeny, d.includeNsfw, d.minScore]);
  const lastKey = useRef('');
  useEffect(() => {
    if (ruleKey === lastKey.current) return;
    const rules = d.rules.map((r) => r.trim()).filter(Boolean);
    if (rules.length === 0) {
      setErrors([]);
      setPreview({ state: 'idle' });
      return;
    }
    const ctl = new AbortController();
    setPreview((p) => ({ ...p, state: 'loading' }));
    const t = setTimeout(() => {
      lastKey.current = ruleKey;
      previewCampaign(d, ctl.signal).then(
        (data) => {
          setErrors([]);
          setPreview({ state: 'ready', data });
        },
        (e: unknown) => {
          if (ctl.signal.aborted) return;
          const ruleErrors = ruleErrorsOf(e);
          setErrors(ruleErrors);
          setPreview({ state: ruleErrors.length > 0 ? 'invalid' : 'error', error: e });
        },
      );
    }, 450);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [ruleKey, d]);

  useEffect(() => {
    const q = subredditName(subQuery);
    if (q.length < 2) return;
    const ctl = new AbortController();
    const t = setTimeout(() => {
      suggestSubreddits(q, ctl.signal).then(
        (list) => setSuggested(list),
        () => setSuggested(STARTER_SUBREDDITS.filter((s) => s.includes(q))),
      );
    }, 300);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [subQuery]);

  // Rules the parser rejected: shown under the rule, with the offending position.
  const errorFor = (field: string, i: number) => errors.filter((e) => e.field === field && e.index === i);
  // Blank rows are dropped before sending, so the server's indexes count only filled rules.
  const serverIndex = (i: number) => d.rules.slice(0, i).filter((r) => r.trim()).length;

  const save = async () => {
    setSaving(true);
    setFormError(undefined);
    try {
      const saved = id ? await updateCampaign(id, d) : await createCampaign(d);
      reloadCampaigns();
      toast(id ? 'Campaign saved' : 'Campaign created; matching leads will appear in the inbox');
      navigate(id ? `/campaigns/${saved.id}` : `/?campaign=${saved.id}`);
    } catch (e) {
      const ruleErrors = ruleErrorsOf(e);
      setErrors(ruleErrors);
      setFormError(ruleErrors.length > 0 ? 'Fix the highlighted rules.' : errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="page page-wide">
      <header className="page-head">
        <div>
          <h1>{id ? d.name || 'Campaign' : 'New campaign'}</h1>
          {id && (
            <div className="head-links">
              <Link to={`/?campaign=${id}`}>Leads</Link>
              <Link to={`/campaigns/${id}/stats`}>Stats</Link>
            </div>
          )}
        </div>
        <div className="head-actions">
          <button type="button" className="btn btn-primary" onClick={save} disabled={saving}>
            {saving ? 'Saving…' : id ? 'Save changes' : 'Create campaign'}
          </button>
        </div>
      </header>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="editor">
        <form
          className="editor-form"
          aria-label="Campaign"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <section className="card">
            <h2>Product</h2>
            <div className="grid-2">
              <Field label="Campaign name" value={d.name} onChange={(v) => set('name', v)} placeholder="e.g. Invoicing tool leads" />
              <Field label="Product name" value={d.productName} onChange={(v) => set('productName', v)} placeholder="Acme Invoices" />
            </div>
            <Field label="Website" type="url" value={d.productUrl ?? ''} onChange={(v) => set('productUrl', v)} placeholder="https://…" />
            <Field
              label="Description"
              multiline
              value={d.productDescription}
              onChange={(v) => set('productDescription', v)}
              placeholder="What it does and for whom, in two or three sentences."
            />
            <Field
              label="Who is a good lead"
              multiline
              value={d.leadContext}
              onChange={(v) => set('leadContext', v)}
              placeholder="e.g. Freelancers and small agencies asking how to invoice or chase payments."
              hint="The scorer reads this to judge relevance."
            />
          </section>

          <section className="card">
            <h2>Rules</h2>
            <p className="muted small">
              A post or comment matches when any rule does. Phrases in quotes, <code>AND</code>, <code>OR</code>, <code>NOT</code>,
              wildcards like <code>invoic*</code>, and <code>title:</code>, <code>subreddit:</code>, <code>type:post</code>.
            </p>
            <ol className="rules">
              {d.rules.map((r, i) => {
                const errs = r.trim() ? errorFor('rules', serverIndex(i)) : [];
                const inputId = `rule-${i}`;
                return (
                  // Rules are edited in place and may repeat, so the row index is the identity.
                  // biome-ignore lint/suspicious/noArrayIndexKey: see above
                  <li key={i} className={errs.length > 0 ? 'has-error' : undefined}>
                    <div className="rule-row">
                      <label htmlFor={inputId} className="sr-only">
                        Rule {i + 1}
                      </label>
                      <input
                        id={inputId}
                        className="mono"
                        value={r}
                        placeholder={'"invoice software" OR (invoic* AND recommend*)'}
                        aria-invalid={errs.length > 0}
                        aria-describedby={errs.length > 0 ? `${inputId}-err` : undefined}
                        onChange={(e) => set('rules', d.rules.map((x, j) => (j === i ? e.target.value : x)))}
                      />
                      <button
                        type="button"
                        className="icon-btn"
                        aria-label={`Remove rule ${i + 1}`}
                        onClick={() => set('rules', d.rules.length > 1 ? d.rules.filter((_, j) => j !== i) : [''])}
                      >
                        ×
                      </button>
                    </div>
                    {errs.map((e) => (
                      <p key={`${e.position}-${e.message}`} id={`${inputId}-err`} className="rule-error" role="alert">
                        {e.position !== null && <RuleCaret rule={r} position={e.position} />}
                        {e.message}
                      </p>
                    ))}
                  </li>
                );
              })}
            </ol>
            <button type="button" className="btn" onClick={() => set('rules', [...d.rules, ''])}>
              + Add rule
            </button>
          </section>

          <section className="card">
            <h2>Where to look</h2>
            <label className="check">
              <input type="checkbox" checked={d.watchAll} onChange={(e) => set('watchAll', e.target.checked)} />
              Watch all of Reddit
            </label>
            <ChipsInput
              label="Subreddits"
              values={d.subreddits}
              onChange={(v) => set('subreddits', v)}
              normalize={subredditName}
              placeholder="saas, startups…"
              suggestions={suggested}
              onQuery={setSubQuery}
            />
            <ChipsInput label="Exclude keywords" values={d.negativeKeywords} onChange={(v) => set('negativeKeywords', v)} placeholder="hiring, job offer…" />
            {errors
              .filter((e) => e.field === 'negative_keywords')
              .map((e) => (
                <p key={`${e.index}-${e.message}`} className="rule-error" role="alert">
                  “{d.negativeKeywords[e.index]}”: {e.message}
                </p>
              ))}
            <div className="grid-2">
              <ChipsInput label="Never these subreddits" values={d.subredditDeny} onChange={(v) => set('subredditDeny', v)} normalize={subredditName} />
              <ChipsInput
                label="Ignore authors"
                values={d.authorDeny}
                onChange={(v) => set('authorDeny', v)}
                normalize={(v) => v.trim().toLowerCase().replace(/^\/?u\//, '')}
              />
            </div>
          </section>

          <section className="card">
            <h2>Scoring</h2>
            <div className="field">
              <label htmlFor="threshold">
                Alert threshold <strong>{d.threshold}</strong>
              </label>
              <input id="threshold" type="range" min={0} max={100} step={5} value={d.threshold} onChange={(e) => set('threshold', Number(e.target.value))} />
              <p className="hint">Leads scoring at or above this trigger notifications. All matches still reach the inbox.</p>
            </div>
            <label className="check">
              <input type="checkbox" checked={d.includeNsfw} onChange={(e) => set('includeNsfw', e.target.checked)} />
              Include NSFW posts
            </label>
          </section>
        </form>
        <PreviewPanel
          state={preview.state}
          data={preview.data}
          error={preview.error}
          unavailable={preview.state === 'error' && previewUnavailable(preview.error)}
        />
      </div>
    </div>
  );
}

/** An older server, or one whose matcher is not wired for previews, says so; that is not an error to show. */
const previewUnavailable = (e: unknown) => isMissingRoute(e) || (e instanceof ApiError && e.code === 'preview_unavailable');
