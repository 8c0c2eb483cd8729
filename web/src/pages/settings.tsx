import { type FormEvent, useState } from 'react';
import { getMe } from '../api/auth.js';
import type { ApiKey } from '../api/schemas.js';
import {
  CONNECT_REDDIT_URL,
  createApiKey,
  createChannel,
  deleteChannel,
  disconnectRedditAccount,
  listApiKeys,
  listChannels,
  listRedditAccounts,
  revokeApiKey,
} from '../api/settings.js';
import { Meter } from '../components/charts.js';
import { ErrorState, errorMessage, Loading } from '../components/states.js';
import { formatAge } from '../lib/format.js';
import { toast } from '../lib/toast.js';
import { useAsync } from '../lib/use-async.js';

export function SettingsPage() {
  return (
    <div className="page">
      <header className="page-head">
        <h1>Settings</h1>
      </header>
      <PlanSection />
      <ApiKeysSection />
      <ChannelsSection />
      <RedditSection />
    </div>
  );
}

function PlanSection() {
  const me = useAsync(() => getMe(), []);
  const m = me.data;
  const campaigns = typeof m?.usage?.campaigns === 'number' ? m.usage.campaigns : (m?.usage?.campaigns?.used ?? 0);
  return (
    <section className="card" aria-labelledby="plan-h">
      <h2 id="plan-h">Plan usage</h2>
      {me.status === 'error' ? (
        <ErrorState error={me.error} retry={me.reload} what="Plan usage" />
      ) : !m ? (
        <Loading />
      ) : (
        <>
          <p className="muted small">
            Signed in as {m.email} ({m.role})
          </p>
          <div className="grid-2">
            <Meter label="Campaigns" used={campaigns} limit={m.plan?.maxCampaigns} />
            <Meter label="AI tokens this month" used={m.usage?.aiTokensThisMonth ?? 0} limit={m.plan?.aiTokensPerMonth} />
          </div>
          {m.plan?.maxRulesPerCampaign ? <p className="muted small">Up to {m.plan.maxRulesPerCampaign} rules per campaign.</p> : null}
        </>
      )}
    </section>
  );
}

function ApiKeysSection() {
  const keys = useAsync(() => listApiKeys(), []);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ApiKey>();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const k = await createApiKey(name.trim() || 'API key');
      setCreated(k);
      setName('');
      keys.reload();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const revoke = (k: ApiKey) => {
    if (!window.confirm(`Revoke “${k.name}”? Programs using it stop working at once.`)) return;
    revokeApiKey(k.id).then(keys.reload, (err: unknown) => toast(errorMessage(err), 'error'));
  };
  return (
    <section className="card" aria-labelledby="keys-h">
      <h2 id="keys-h">API keys</h2>
      <p className="muted small">
        For scripts and integrations: send <code>Authorization: Bearer sk_…</code>.
      </p>
      {created?.key && (
        <div className="notice" role="status">
          <strong>Copy your new key now; it is not shown again.</strong>
          <code className="secret">{created.key}</code>
        </div>
      )}
      {keys.status === 'error' ? (
        <ErrorState error={keys.error} retry={keys.reload} what="API keys" />
      ) : !keys.data ? (
        <Loading />
      ) : (
        keys.data.length > 0 && (
          <table className="table">
            <tbody>
              {keys.data.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td className="mono">{k.prefix}…</td>
                  <td className="muted">{k.lastUsedAt ? `used ${formatAge(k.lastUsedAt, Date.now())} ago` : 'never used'}</td>
                  <td className="row-actions">
                    <button type="button" className="btn-link danger" onClick={() => revoke(k)}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
      <form className="row" onSubmit={create}>
        <label htmlFor="key-name" className="sr-only">
          Key name
        </label>
        <input id="key-name" placeholder="Key name, e.g. Zapier" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="btn">
          Create key
        </button>
      </form>
    </section>
  );
}

function ChannelsSection() {
  const channels = useAsync(() => listChannels(), []);
  const [kind, setKind] = useState('email');
  const [target, setTarget] = useState('');
  const [mode, setMode] = useState('instant');
  const add = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await createChannel({ kind, target, mode });
      setTarget('');
      channels.reload();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  return (
    <section className="card" aria-labelledby="channels-h">
      <h2 id="channels-h">Notifications</h2>
      {channels.status === 'error' ? (
        <ErrorState error={channels.error} retry={channels.reload} what="Notification channels" />
      ) : !channels.data ? (
        <Loading />
      ) : (
        <>
          {channels.data.length > 0 && (
            <table className="table">
              <tbody>
                {channels.data.map((c) => (
                  <tr key={c.id}>
                    <td>{c.kind}</td>
                    <td className="truncate">{c.target}</td>
                    <td>{c.mode}</td>
                    <td>
                      {c.failingSince ? (
                        <span className="rule-error" title={c.lastError ?? undefined}>
                          Failing for {formatAge(c.failingSince, Date.now())}: {c.lastError}
                        </span>
                      ) : (
                        <span className="muted small">{c.enabled ? 'Working' : 'Paused'}</span>
                      )}
                    </td>
                    <td className="row-actions">
                      <button type="button" className="btn-link danger" onClick={() => deleteChannel(c.id).then(channels.reload)}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <form className="row" onSubmit={add}>
            <select aria-label="Channel kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="email">Email</option>
              <option value="slack">Slack</option>
              <option value="discord">Discord</option>
              <option value="webhook">Webhook</option>
            </select>
            <input
              aria-label="Address or webhook URL"
              required
              placeholder={kind === 'email' ? 'you@company.com' : 'https://hooks…'}
              value={target}
              onChange={(e) => setTarget(e.target.value)}
            />
            <select aria-label="Delivery" value={mode} onChange={(e) => setMode(e.target.value)}>
              <option value="instant">Instant</option>
              <option value="digest">Daily digest</option>
            </select>
            <button type="submit" className="btn">
              Add
            </button>
          </form>
        </>
      )}
    </section>
  );
}

function RedditSection() {
  const accounts = useAsync(() => listRedditAccounts(), []);
  return (
    <section className="card" aria-labelledby="reddit-h">
      <h2 id="reddit-h">Reddit account</h2>
      <p className="muted small">Replies are posted through your own account, only when you press the button.</p>
      {accounts.status === 'error' ? (
        <ErrorState error={accounts.error} retry={accounts.reload} what="Connecting Reddit accounts" />
      ) : !accounts.data ? (
        <Loading />
      ) : (
        <>
          {accounts.data.map((a) => (
            <div key={a.id} className="row">
              <strong>u/{a.username}</strong>
              {a.karma !== null && a.karma !== undefined && <span className="muted">{a.karma} karma</span>}
              <button type="button" className="btn-link danger" onClick={() => disconnectRedditAccount(a.id).then(accounts.reload)}>
                Disconnect
              </button>
            </div>
          ))}
          {accounts.data.length === 0 && (
            <a className="btn" href={CONNECT_REDDIT_URL}>
              Connect Reddit account
            </a>
          )}
        </>
      )}
    </section>
  );
}
