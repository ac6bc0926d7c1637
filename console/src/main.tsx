import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, currentSession, login, logout, onSessionChange, type Session } from './api.ts';
import { currentLang, setLang, t, type Lang } from './i18n.ts';
import { OperatorView } from './operator.tsx';
import { ReservationView } from './reservation.tsx';
import { Link, navigate } from './shared.tsx';
import { VendorView } from './vendor.tsx';

const today = () => new Date().toISOString().slice(0, 10);

type Route =
  | { view: 'vendor' }
  | { view: 'operator' }
  | { view: 'reservation'; id: string }
  | { view: 'lookup' };

const parse = (path: string, role: string | undefined): Route => {
  const rest = path.replace(/^\/console\/?/, '');
  const [head, id] = rest.split('/');
  if (head === 'vendor') return { view: 'vendor' };
  if (head === 'operator') return { view: 'operator' };
  if (head === 'reservations' && id) return { view: 'reservation', id: decodeURIComponent(id) };
  if (head === 'reservations') return { view: 'lookup' };
  return role === 'admin'
    ? { view: 'operator' }
    : role === 'vendor'
      ? { view: 'vendor' }
      : { view: 'lookup' };
};

const Login = () => {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  return (
    <form
      class="card login"
      onSubmit={(e) => {
        e.preventDefault();
        login(email, password).catch((err: unknown) =>
          setError(err instanceof ApiError ? err.message : String(err)),
        );
      }}
    >
      <h1>{t('title')}</h1>
      <label>
        {t('email')}
        <input
          type="email"
          autoComplete="username"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
      </label>
      <label>
        {t('password')}
        <input
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </label>
      <button type="submit">{t('login')}</button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  );
};

const Lookup = () => {
  const [id, setId] = useState('');
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        if (id.trim()) navigate(`/console/reservations/${encodeURIComponent(id.trim())}`);
      }}
    >
      <label>
        {t('reservationId')}{' '}
        <input value={id} onInput={(e) => setId(e.currentTarget.value)} required />
      </label>{' '}
      <button type="submit">{t('open')}</button>
    </form>
  );
};

const LangSwitch = (props: { onChange: () => void }) => (
  <label class="lang">
    {t('language')}{' '}
    <select
      value={currentLang()}
      onChange={(e) => {
        setLang(e.currentTarget.value as Lang);
        props.onChange();
      }}
    >
      <option value="en">English</option>
      <option value="he">עברית</option>
    </select>
  </label>
);

const App = () => {
  const [session, setSession] = useState<Session | undefined>(currentSession());
  const [path, setPath] = useState(location.pathname);
  const [, setRender] = useState(0);
  useEffect(() => onSessionChange(setSession), []);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const from = new URLSearchParams(location.search).get('from') ?? today();
  const route = parse(path, session?.role);
  const title =
    route.view === 'vendor'
      ? t('vendor')
      : route.view === 'operator'
        ? t('operator')
        : t('reservation');
  return (
    <>
      <a class="skip" href="#main">
        {t('skip')}
      </a>
      <header>
        <nav aria-label={t('title')}>
          <strong>{t('title')}</strong>
          {session && (
            <>
              <Link href="/console/vendor">{t('vendor')}</Link>
              {session.role === 'admin' && <Link href="/console/operator">{t('operator')}</Link>}
              <Link href="/console/reservations">{t('openReservation')}</Link>
            </>
          )}
          <span class="spacer" />
          <LangSwitch onChange={() => setRender((n) => n + 1)} />
          {session && (
            <>
              <span>
                {session.email} ({session.role}
                {session.vendorId ? ` ${session.vendorId}` : ''})
              </span>
              <button type="button" class="secondary" onClick={() => void logout()}>
                {t('logout')}
              </button>
            </>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {!session ? (
          <Login />
        ) : (
          <>
            <h1>{title}</h1>
            {route.view === 'vendor' && <VendorView from={from} />}
            {route.view === 'operator' && <OperatorView from={from} />}
            {route.view === 'reservation' && <ReservationView key={route.id} id={route.id} />}
            {route.view === 'lookup' && <Lookup />}
          </>
        )}
      </main>
    </>
  );
};

setLang(new URLSearchParams(location.search).get('lang') === 'he' ? 'he' : 'en');
const root = document.getElementById('app');
if (root) render(<App />, root);
