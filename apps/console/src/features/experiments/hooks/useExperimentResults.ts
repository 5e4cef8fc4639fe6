import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/experiments/{id}/results: totals, lift with interval, sequential test, SRM (after it started). */
export function useExperimentResults(id: string | null) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.experiments.results(id ?? ''),
    enabled: id !== null,
    queryFn: () => unwrap(client.GET('/v1/experiments/{id}/results', { params: { path: { id: id ?? '' } } })),
  });
}
