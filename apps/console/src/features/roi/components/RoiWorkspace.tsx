import { useState } from 'react';
import type { RoiReportParams } from '../../../api/query-keys';
import { describeError } from '../../../api/api-error';
import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { FormField } from '../../../shared/components/FormField';
import { LoadingState } from '../../../shared/components/LoadingState';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatPercent } from '../../../shared/utils/format';
import { useAccess } from '../../auth/hooks/useAccess';
import { useRoiCsvExport } from '../hooks/useRoiCsvExport';
import { useRoiReport } from '../hooks/useRoiReport';
import { CostEntriesCard } from './CostEntriesCard';
import { OutcomesCard } from './OutcomesCard';
import { RoiReportTable } from './RoiReportTable';

/** The retailer's currency: every ROI figure is in it (the API's CURRENCY). */
const CURRENCY = 'USD';

export function RoiWorkspace() {
  const access = useAccess();
  const canWrite = access.can('roi:write');
  const [params, setParams] = useState<RoiReportParams>({ groupBy: 'quarter', source: 'all' });
  const report = useRoiReport(params);
  const exportCsv = useRoiCsvExport();
  const set = (patch: Partial<RoiReportParams>) => setParams((p) => ({ ...p, ...patch }));

  return (
    <div className="page">
      <PageHeader
        title="ROI"
        description={
          <>
            Return on the pricing model by the book’s method: the gain over the control’s gross margin, scaled to the business, against cloud, development
            and operations costs. {report.data ? `ROI below ${formatPercent(report.data.flagBelowPercent, 0)} is flagged.` : ''}
          </>
        }
        actions={
          <button type="button" className="button button--primary" onClick={() => exportCsv.mutate(params)} disabled={exportCsv.isPending}>
            {exportCsv.isPending ? 'Exporting…' : 'Export CSV'}
          </button>
        }
      />
      <div className="toolbar" role="search" aria-label="ROI report">
        <FormField label="Per">
          <select className="input" value={params.groupBy} onChange={(event) => set({ groupBy: event.target.value as RoiReportParams['groupBy'] })}>
            <option value="quarter">Quarter</option>
            <option value="month">Month</option>
            <option value="experiment">Experiment</option>
          </select>
        </FormField>
        <FormField label="Outcomes">
          <select className="input" value={params.source ?? 'all'} onChange={(event) => set({ source: event.target.value as RoiReportParams['source'] })}>
            <option value="all">Measured and entered</option>
            <option value="measured">Measured by experiments</option>
            <option value="entered">Entered by finance</option>
          </select>
        </FormField>
        <FormField label="From month">
          <input className="input" type="month" value={params.from ?? ''} onChange={(event) => set({ from: event.target.value || undefined })} />
        </FormField>
        <FormField label="To month">
          <input className="input" type="month" value={params.to ?? ''} onChange={(event) => set({ to: event.target.value || undefined })} />
        </FormField>
      </div>
      {exportCsv.error && (
        <p className="notice notice--error" role="alert">
          The CSV could not be exported: {describeError(exportCsv.error)}
        </p>
      )}
      {exportCsv.data && (
        <p className="notice notice--success" role="status">
          Saved {exportCsv.data}.
        </p>
      )}
      {report.isPending ? (
        <LoadingState label="Calculating ROI…" />
      ) : report.error ? (
        <ErrorState title="The ROI report could not be calculated." error={report.error} onRetry={() => void report.refetch()} />
      ) : report.data.rows.length === 0 ? (
        <EmptyState title="Nothing to report yet">ROI appears once there are costs and outcomes (from experiments, or entered below).</EmptyState>
      ) : (
        <RoiReportTable report={report.data} currency={CURRENCY} />
      )}
      <div className="grid-2-wide">
        <CostEntriesCard currency={CURRENCY} canWrite={canWrite} />
        <OutcomesCard currency={CURRENCY} canWrite={canWrite} />
      </div>
    </div>
  );
}
