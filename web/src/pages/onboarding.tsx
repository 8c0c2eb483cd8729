import { type FormEvent, useState } from 'react';
import { draftFromWebsite } from '../api/campaigns.js';
import { isMissingRoute } from '../api/client.js';
import { errorMessage } from '../components/states.js';
import { Link, navigate } from '../lib/router.js';

/** An empty account's first screen: draft a campaign from the product's website, or write it by hand. */
export function OnboardingPage() {
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string>();

  const fromWebsite = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setNote(undefined);
    try {
      const draft = await draftFromWebsite(url);
      sessionStorage.setItem('subscout:draft', JSON.stringify({ ...draft, productUrl: url }));
      navigate('/campaigns/new');
    } catch (err) {
      if (isMissingRoute(err)) navigate(`/campaigns/new?url=${encodeURIComponent(url)}`);
      else setNote(`Could not read that website (${errorMessage(err)}). You can still describe it by hand.`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page onboarding">
      <h1>Find your first leads</h1>
      <p className="lede">
        Subscout watches Reddit for people asking for what you sell. Describe your product once, and matching posts and comments land in your inbox,
        scored for buying intent.
      </p>
      <div className="grid-2">
        <form className="card" onSubmit={fromWebsite} aria-labelledby="from-site">
          <h2 id="from-site">Start from your website</h2>
          <p className="muted small">We read the page and draft a description, rules and subreddits for you to review.</p>
          <div className="field">
            <label htmlFor="site-url">Website URL</label>
            <input id="site-url" type="url" required placeholder="https://yourproduct.com" value={url} onChange={(e) => setUrl(e.target.value)} />
          </div>
          {note && <p className="form-error">{note}</p>}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Reading the website…' : 'Draft my campaign'}
          </button>
        </form>
        <div className="card">
          <h2>Set it up by hand</h2>
          <p className="muted small">Write keyword rules yourself, pick subreddits, and preview what they would match before saving.</p>
          <Link to="/campaigns/new" className="btn">
            Create a campaign
          </Link>
        </div>
      </div>
    </div>
  );
}
