import type { ReactNode } from 'react';
import { useApp } from './app-context.js';
import { Link, useLocation } from './lib/router.js';

function NavLink({ to, children, exact }: { to: string; children: ReactNode; exact?: boolean }) {
  const { path, query } = useLocation();
  const [toPath, toQuery = ''] = to.split('?');
  const samePath = exact || toQuery ? path === toPath : path === toPath || path.startsWith(`${toPath}/`);
  const sameQuery = toQuery === '' || new URLSearchParams(toQuery).get('campaign') === query.get('campaign');
  const active = samePath && sameQuery && (toQuery !== '' || !query.get('campaign') || toPath !== '/');
  return (
    <Link to={to} className={`nav-link${active ? ' active' : ''}`} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { user, campaigns, signOut } = useApp();
  const isAdmin = user.role === 'owner' || user.role === 'admin';
  return (
    <div className="shell">
      <aside className="sidebar" aria-label="Main navigation">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Subscout
        </Link>
        <nav className="nav">
          <NavLink to="/" exact>
            Inbox
          </NavLink>
          <NavLink to="/campaigns" exact>
            Campaigns
          </NavLink>
          <div className="nav-section" aria-hidden={!campaigns?.length}>
            {campaigns?.map((c) => (
              <NavLink key={c.id} to={`/?campaign=${c.id}`}>
                <span className={`dot ${c.status === 'active' ? 'dot-on' : 'dot-off'}`} aria-hidden="true" />
                <span className="truncate">{c.name}</span>
              </NavLink>
            ))}
            <Link to="/campaigns/new" className="nav-link nav-add">
              + New campaign
            </Link>
          </div>
          <NavLink to="/settings">Settings</NavLink>
          {isAdmin && <NavLink to="/system">System</NavLink>}
        </nav>
        <div className="sidebar-foot">
          <span className="truncate muted" title={user.email}>
            {user.name || user.email}
          </span>
          <button type="button" className="btn-link" onClick={signOut}>
            Sign out
          </button>
        </div>
      </aside>
      <main className="main">{children}</main>
    </div>
  );
}
