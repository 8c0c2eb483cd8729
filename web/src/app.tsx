import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { getSession, logout, type SignedOut } from './api/auth.js';
import { listCampaigns } from './api/campaigns.js';
import { UNAUTHORIZED_EVENT } from './api/client.js';
import type { User } from './api/schemas.js';
import { AppContext, type AppData } from './app-context.js';
import { ErrorState, Loading } from './components/states.js';
import { Layout } from './layout.js';
import { matchPath, navigate, useLocation } from './lib/router.js';
import { Toasts } from './lib/toast.js';
import { useAsync } from './lib/use-async.js';
import { CampaignEditorPage } from './pages/campaign-editor.js';
import { CampaignStatsPage } from './pages/campaign-stats.js';
import { CampaignsPage } from './pages/campaigns.js';
import { InboxPage } from './pages/inbox.js';
import { LeadDetailPage } from './pages/lead-detail.js';
import { OnboardingPage } from './pages/onboarding.js';
import { SettingsPage } from './pages/settings.js';
import { SignInPage } from './pages/sign-in.js';
import { SystemPage } from './pages/system.js';

type Auth = { state: 'checking' } | { state: 'in'; user: User } | { state: 'out'; how: SignedOut } | { state: 'error'; error: unknown };

export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  const check = useCallback(() => {
    setAuth({ state: 'checking' });
    getSession().then(
      (r) => setAuth('user' in r ? { state: 'in', user: r.user } : { state: 'out', how: r.signedOut }),
      (error: unknown) => setAuth({ state: 'error', error }),
    );
  }, []);
  useEffect(check, [check]);
  useEffect(() => {
    window.addEventListener(UNAUTHORIZED_EVENT, check);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, check);
  }, [check]);

  let body: ReactNode;
  if (auth.state === 'checking') body = <Loading label="Signing in…" />;
  else if (auth.state === 'error') body = <ErrorState error={auth.error} retry={check} what="Sign-in" />;
  else if (auth.state === 'out') body = <SignInPage how={auth.how} onSignedIn={(user) => setAuth({ state: 'in', user })} />;
  else body = <SignedIn user={auth.user} onSignedOut={check} />;
  return (
    <>
      {body}
      <Toasts />
    </>
  );
}

function SignedIn({ user, onSignedOut }: { user: User; onSignedOut: () => void }) {
  const campaigns = useAsync(() => listCampaigns(), []);
  const data: AppData = useMemo(
    () => ({
      user,
      campaigns: campaigns.data,
      reloadCampaigns: campaigns.reload,
      signOut: () => {
        logout().finally(() => {
          navigate('/');
          onSignedOut();
        });
      },
    }),
    [user, campaigns.data, campaigns.reload, onSignedOut],
  );
  return (
    <AppContext.Provider value={data}>
      <Layout>
        <Routes campaignsLoaded={campaigns.status !== 'loading' || campaigns.data !== undefined} />
      </Layout>
    </AppContext.Provider>
  );
}

/** Page routes, most specific first; the first pattern that matches wins. */
const ROUTES: ReadonlyArray<[string, (p: Record<string, string>) => ReactNode]> = [
  ['/leads/:id', (p) => <LeadDetailPage key={p.id} id={p.id ?? ''} />],
  ['/campaigns', () => <CampaignsPage />],
  ['/campaigns/new', () => <CampaignEditorPage key="new" />],
  ['/campaigns/:id/stats', (p) => <CampaignStatsPage key={p.id} id={p.id ?? ''} />],
  ['/campaigns/:id', (p) => <CampaignEditorPage key={p.id} id={p.id} />],
  ['/welcome', () => <OnboardingPage />],
  ['/settings', () => <SettingsPage />],
  ['/system', () => <SystemPage />],
];

function Routes({ campaignsLoaded }: { campaignsLoaded: boolean }) {
  const { path } = useLocation();
  for (const [pattern, render] of ROUTES) {
    const params = matchPath(pattern, path);
    if (params) return render(params);
  }
  if (path === '/' || path === '/leads') return campaignsLoaded ? <InboxPage /> : <Loading />;
  return (
    <div className="page">
      <h1>Not found</h1>
      <p className="muted">There is no page at {path}.</p>
    </div>
  );
}
