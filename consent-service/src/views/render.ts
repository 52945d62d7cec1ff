import type {
  ConsentDetailView,
  DashboardView,
  ErrorView,
  LoginView,
  ReviewView,
  RevokeConfirmView,
  SelectAccountsView,
} from './view-models.js';

/** The page renderers the routes call; each returns a complete HTML document. */
export interface Pages {
  login(view: LoginView): string;
  selectAccounts(view: SelectAccountsView): string;
  review(view: ReviewView): string;
  error(view: ErrorView): string;
  dashboard(view: DashboardView): string;
  consentDetail(view: ConsentDetailView): string;
  revokeConfirm(view: RevokeConfirmView): string;
}
