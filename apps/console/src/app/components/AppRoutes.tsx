import { Route, Routes } from 'react-router-dom';
import { RequireSession } from '../../features/auth/components/RequireSession';
import { SignInPage } from '../../features/auth/components/SignInPage';
import { HomeRedirect } from '../../features/navigation/components/HomeRedirect';
import { AuditTrailPage, ExperimentsPage, FairnessPage, ModelsPage, PricesPage, RoiPage, SkuDetailPage } from '../lazy-pages';
import { AppShell } from './AppShell';
import { NotFoundPage } from './NotFoundPage';

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route element={<RequireSession />}>
        <Route element={<AppShell />}>
          <Route index element={<HomeRedirect />} />
          <Route path="prices" element={<PricesPage />} />
          <Route path="skus/:code" element={<SkuDetailPage />} />
          <Route path="experiments" element={<ExperimentsPage />} />
          <Route path="models" element={<ModelsPage />} />
          <Route path="fairness" element={<FairnessPage />} />
          <Route path="roi" element={<RoiPage />} />
          <Route path="audit" element={<AuditTrailPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
