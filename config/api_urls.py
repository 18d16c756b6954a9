"""The REST API: version 1 under v1/, its OpenAPI schema and interactive docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api.analysis import (
    OverlapViewSet,
    ProductMappingViewSet,
    RiskViewSet,
    WhitespaceViewSet,
)
from accounts.api.auth import ObtainTokenView
from accounts.api.history import HistoryViewSet
from accounts.api.imports import ImportJobViewSet
from accounts.api.matching import MatchCandidateViewSet
from accounts.api.people import PersonViewSet
from accounts.api.records import (
    HoldingViewSet,
    MatchDecisionViewSet,
    RiskPolicyViewSet,
    SourceAccountViewSet,
)
from accounts.api.views import (
    CompanyViewSet,
    MergerViewSet,
    ProductViewSet,
    SegmentViewSet,
    UnifiedAccountViewSet,
)
from scorecards.api.dashboard import DashboardViewSet
from scorecards.api.program import ProgramReviewViewSet, ScoringPolicyViewSet
from scorecards.api.scores import (
    AssessmentViewSet,
    CScoreViewSet,
    IndicatorValueViewSet,
    ProgramScorecardViewSet,
    SegmentScoreViewSet,
    SixCViewSet,
)
from scorecards.api.views import ExportJobViewSet
from tracker.api.compensation import CompPlanViewSet, PayoutViewSet
from tracker.api.core_win_rates import CoreWinRateViewSet
from tracker.api.credits import OpportunityCreditsView
from tracker.api.exchange_rates import ExchangeRateViewSet
from tracker.api.feeds import SupervisionViewSet, WinViewSet
from tracker.api.metrics import PipelineMetricsViewSet, SnapshotViewSet
from tracker.api.org import CertificationViewSet, RepViewSet, StageViewSet, TeamViewSet
from tracker.api.quotas import QuotaViewSet
from tracker.api.setup import SetupViewSet
from tracker.api.targets import SynergyTargetViewSet
from tracker.api.views import OpportunityViewSet

router = DefaultRouter()
router.register("mergers", MergerViewSet, basename="merger")
router.register("companies", CompanyViewSet, basename="company")
router.register("segments", SegmentViewSet, basename="segment")
router.register("accounts", UnifiedAccountViewSet, basename="account")
router.register("products", ProductViewSet, basename="product")
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("quotas", QuotaViewSet, basename="quota")
router.register("comp-plans", CompPlanViewSet, basename="comp-plan")
router.register("core-win-rates", CoreWinRateViewSet, basename="core-win-rate")
router.register("exchange-rates", ExchangeRateViewSet, basename="exchange-rate")
router.register("payouts", PayoutViewSet, basename="payout")
router.register("pipeline-metrics", PipelineMetricsViewSet, basename="pipeline-metrics")
router.register("snapshots", SnapshotViewSet, basename="snapshot")
router.register("wins", WinViewSet, basename="win")
router.register("supervision", SupervisionViewSet, basename="supervision")
router.register("overlap", OverlapViewSet, basename="overlap")
router.register("product-map", ProductMappingViewSet, basename="product-map")
router.register("whitespace", WhitespaceViewSet, basename="whitespace")
router.register("risk", RiskViewSet, basename="risk")
router.register("match-candidates", MatchCandidateViewSet, basename="match-candidate")
router.register("exports", ExportJobViewSet, basename="export")
router.register("scores", CScoreViewSet, basename="score")
router.register("indicators", IndicatorValueViewSet, basename="indicator")
router.register("segment-scores", SegmentScoreViewSet, basename="segment-score")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("program-scorecard", ProgramScorecardViewSet, basename="program-scorecard")
router.register("six-c", SixCViewSet, basename="six-c")
router.register("dashboard", DashboardViewSet, basename="dashboard")
router.register("imports", ImportJobViewSet, basename="import")
router.register("people", PersonViewSet, basename="person")
router.register("teams", TeamViewSet, basename="team")
router.register("reps", RepViewSet, basename="rep")
router.register("stages", StageViewSet, basename="stage")
router.register("certifications", CertificationViewSet, basename="certification")
router.register("synergy-targets", SynergyTargetViewSet, basename="synergy-target")
router.register("history", HistoryViewSet, basename="history")
router.register("source-accounts", SourceAccountViewSet, basename="source-account")
router.register("holdings", HoldingViewSet, basename="holding")
router.register("match-decisions", MatchDecisionViewSet, basename="match-decision")
router.register("risk-policies", RiskPolicyViewSet, basename="risk-policy")
router.register("program-reviews", ProgramReviewViewSet, basename="program-review")
router.register("scoring-policies", ScoringPolicyViewSet, basename="scoring-policy")
router.register("setup", SetupViewSet, basename="setup")

app_name = "api"

urlpatterns = [
    path("v1/auth/token/", ObtainTokenView.as_view(), name="token"),
    path(
        "v1/opportunities/<int:pk>/credits/",
        OpportunityCreditsView.as_view(),
        name="opportunity-credits",
    ),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from a URL, so script-src 'self' suffices.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
]
