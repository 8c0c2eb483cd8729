import { deleteCampaign, setCampaignPaused } from '../api/campaigns.js';
import { useApp } from '../app-context.js';
import { Empty, errorMessage, Loading } from '../components/states.js';
import { Link } from '../lib/router.js';
import { toast } from '../lib/toast.js';

export function CampaignsPage() {
  const { campaigns, reloadCampaigns } = useApp();
  const run = (p: Promise<unknown>, done: string) =>
    p.then(
      () => {
        toast(done);
        reloadCampaigns();
      },
      (e: unknown) => toast(errorMessage(e), 'error'),
    );
  return (
    <div className="page">
      <header className="page-head">
        <h1>Campaigns</h1>
        <Link to="/campaigns/new" className="btn btn-primary">
          New campaign
        </Link>
      </header>
      {!campaigns ? (
        <Loading />
      ) : campaigns.length === 0 ? (
        <Empty title="No campaigns yet.">
          <Link to="/welcome">Create your first one</Link> to start finding leads.
        </Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Rules</th>
              <th>Subreddits</th>
              <th>Threshold</th>
              <th>Status</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
                  {c.productName && <div className="muted small">{c.productName}</div>}
                </td>
                <td>{c.rules.length}</td>
                <td className="truncate">{c.watchAll ? 'All of Reddit' : c.subreddits.map((s) => `r/${s}`).join(', ') || '–'}</td>
                <td>{c.threshold}</td>
                <td>
                  <span className={`tag tag-${c.status}`}>{c.status}</span>
                </td>
                <td className="row-actions">
                  <Link to={`/?campaign=${c.id}`}>Leads</Link>
                  <Link to={`/campaigns/${c.id}/stats`}>Stats</Link>
                  <button type="button" className="btn-link" onClick={() => run(setCampaignPaused(c.id, c.status === 'active'), c.status === 'active' ? 'Paused' : 'Resumed')}>
                    {c.status === 'active' ? 'Pause' : 'Resume'}
                  </button>
                  <button
                    type="button"
                    className="btn-link danger"
                    onClick={() => window.confirm(`Delete “${c.name}”? It can be restored for 30 days.`) && run(deleteCampaign(c.id), 'Campaign deleted')}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
