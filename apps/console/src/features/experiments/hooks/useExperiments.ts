import type { Schemas } from '@dynaprice/api-client';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { fetchAllPages } from '../../../api/pagination';
import { queryKeys } from '../../../api/query-keys';

export type ExperimentStatus = Schemas['ExperimentDto']['status'];

/** GET /v1/experiments, every page, optionally of one status. */
export function useExperiments(status: ExperimentStatus | null) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.experiments.list(status),
    queryFn: () =>
      fetchAllPages((offset, limit) => unwrap(client.GET('/v1/experiments', { params: { query: { offset, limit: Math.min(limit, 100), status: status ?? undefined } } }))),
  });
}
