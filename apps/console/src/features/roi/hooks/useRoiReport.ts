import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { unwrap } from '../../../api/api-error';
import { queryKeys, type RoiReportParams } from '../../../api/query-keys';

/** GET /v1/roi: ROI per month, quarter or experiment (the book's method), flagged below the threshold. */
export function useRoiReport(params: RoiReportParams) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.roi.report(params),
    queryFn: () => unwrap(client.GET('/v1/roi', { params: { query: { ...params, format: 'json' } } })),
  });
}
