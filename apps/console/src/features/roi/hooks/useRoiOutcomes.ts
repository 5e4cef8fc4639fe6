import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys } from '../../../api/query-keys';

/** GET /v1/roi/outcomes: the outcomes finance entered (measured ones come from the experiments). */
export function useRoiOutcomes() {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.roi.outcomes(),
    queryFn: () => unwrap(client.GET('/v1/roi/outcomes')),
  });
}
