import { type FormEvent, useState } from 'react';
import { clerkSignInUrl, login, type SignedOut } from '../api/auth.js';
import type { User } from '../api/schemas.js';
import { errorMessage } from '../components/states.js';

export function SignInPage({ how, onSignedIn }: { how: SignedOut; onSignedIn: (u: User) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (how.mode === 'clerk') {
    const url = how.clerkPublishableKey ? clerkSignInUrl(how.clerkPublishableKey, window.location.href) : undefined;
    return (
      <div className="auth">
        <div className="auth-card">
          <h1>Sign in to Subscout</h1>
          {url ? (
            <a className="btn btn-primary btn-block" href={url}>
              Continue to sign-in
            </a>
          ) : (
            <p className="muted">Sign-in is handled by Clerk, but no publishable key is configured (CLERK_PUBLISHABLE_KEY).</p>
          )}
        </div>
      </div>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await login(email, password));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="auth">
      <form className="auth-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Subscout</h1>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">On the machine running Subscout, opening it from localhost signs the owner in.</p>
      </form>
    </div>
  );
}
