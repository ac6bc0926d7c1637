import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { t } from './i18n.ts';

/** Client-side navigation under /console (deep links reload into the same page). */
export const navigate = (path: string): void => {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
};

export const Link = (props: { href: string; children: ComponentChildren }) => (
  <a
    href={props.href}
    onClick={(e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      navigate(props.href);
    }}
  >
    {props.children}
  </a>
);

export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'error'; readonly error: ApiError | Error };

/** Loads once per `key`, and again every `pollMs` when given (live views). */
export const useLoad = <T,>(
  load: () => Promise<T>,
  key: string,
  pollMs?: number,
): [Loaded<T>, () => void] => {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    let timer: number | undefined;
    const run = () => {
      load()
        .then(
          (value) => live && setState({ status: 'ok', value }),
          (error: unknown) =>
            live &&
            setState({
              status: 'error',
              error: error instanceof Error ? error : new Error(String(error)),
            }),
        )
        .finally(() => {
          if (live && pollMs !== undefined) timer = window.setTimeout(run, pollMs);
        });
    };
    run();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [key, tick]);
  return [state, () => setTick((n) => n + 1)];
};

export const isMissing = (error: unknown): boolean =>
  error instanceof ApiError && (error.status === 404 || error.status === 403);

export const Section = (props: { id: string; title: string; children: ComponentChildren }) => (
  <section aria-labelledby={`${props.id}-h`} class="card">
    <h2 id={`${props.id}-h`}>{props.title}</h2>
    {props.children}
  </section>
);

export const Show = <T,>(props: {
  state: Loaded<T>;
  children: (value: T) => ComponentChildren;
}) => {
  const { state } = props;
  if (state.status === 'loading') return <p aria-busy="true">{t('loading')}</p>;
  if (state.status === 'error')
    return (
      <p role="alert" class="error">
        {state.error instanceof ApiError && state.error.status === 403
          ? t('notAllowed')
          : `${t('error')}: ${state.error.message}`}
      </p>
    );
  return <>{props.children(state.value)}</>;
};
