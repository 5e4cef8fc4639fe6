import { useMutation } from '@tanstack/react-query';
import { useApi } from '../../../api/api-context';
import { ApiError } from '../../../api/api-error';
import type { RoiReportParams } from '../../../api/query-keys';
import { attachmentName, saveBlob } from '../../../shared/utils/download';

/** GET /v1/roi?format=csv, saved as the file the API names (roi-by-quarter.csv, …). */
export function useRoiCsvExport() {
  const { client } = useApi();
  return useMutation({
    mutationFn: async (params: RoiReportParams): Promise<string> => {
      const { data, error, response } = await client.GET('/v1/roi', { params: { query: { ...params, format: 'csv' } }, parseAs: 'blob' });
      if (!response.ok || error !== undefined || !data) throw new ApiError(response.status, error);
      const name = attachmentName(response.headers.get('content-disposition'), `roi-by-${params.groupBy}.csv`);
      saveBlob(data, name);
      return name;
    },
  });
}
