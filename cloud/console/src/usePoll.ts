import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api';

/** Calls `load` now and every `ms`; returns the latest data, the latest error and a refresh. */
export function usePoll<T>(load: () => Promise<T>, ms: number) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const refresh = useCallback(() => {
    load().then(
      (d) => {
        setData(d);
        setError(null);
      },
      (err: unknown) =>
        setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err))),
    );
  }, [load]);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, ms);
    return () => clearInterval(timer);
  }, [refresh, ms]);
  return { data, error, refresh };
}
