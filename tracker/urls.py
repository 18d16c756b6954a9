from django.urls import path

from tracker.views import (
    compensation,
    core_win_rates,
    credits,
    opportunities,
    pipeline,
    quotas,
    supervision,
    wins,
)

app_name = "tracker"

urlpatterns: list = [
    path("pipeline/", pipeline.PipelineView.as_view(), name="pipeline"),
    path("pipeline/new/", opportunities.opportunity_create_page, name="opportunity_create"),
    path("pipeline/bulk/", pipeline.pipeline_bulk, name="pipeline_bulk"),
    path("pipeline/supervision/", supervision.SupervisionView.as_view(), name="supervision"),
    path("pipeline/wins/", wins.WinsView.as_view(), name="wins"),
    path("pipeline/<int:pk>/", opportunities.opportunity_detail_page, name="opportunity_detail"),
    path("pipeline/<int:pk>/edit/", opportunities.opportunity_edit_page, name="opportunity_edit"),
    path(
        "pipeline/<int:pk>/stage/", opportunities.opportunity_stage_page, name="opportunity_stage"
    ),
    path(
        "pipeline/<int:pk>/reopen/",
        opportunities.opportunity_reopen_page,
        name="opportunity_reopen",
    ),
    path(
        "pipeline/<int:pk>/credits/", credits.opportunity_credits_page, name="opportunity_credits"
    ),
    path("quotas/", quotas.quotas_page, name="quotas"),
    path("quotas/import/", quotas.quota_import_page, name="quota_import"),
    path("quotas/import/template.csv", quotas.quota_template_page, name="quota_template"),
    path("quotas/<int:pk>/history/", quotas.quota_history_page, name="quota_history"),
    path("core-win-rates/", core_win_rates.core_win_rates_page, name="core_win_rates"),
    path(
        "core-win-rates/<int:pk>/delete/",
        core_win_rates.core_win_rate_delete_page,
        name="core_win_rate_delete",
    ),
    path(
        "core-win-rates/import/",
        core_win_rates.core_win_rate_import_page,
        name="core_win_rate_import",
    ),
    path(
        "core-win-rates/import/template.csv",
        core_win_rates.core_win_rate_template_page,
        name="core_win_rate_template",
    ),
    path("compensation/", compensation.compensation_page, name="compensation"),
    path("compensation/plans/new/", compensation.comp_plan_create_page, name="comp_plan_create"),
    path(
        "compensation/plans/<int:pk>/edit/",
        compensation.comp_plan_edit_page,
        name="comp_plan_edit",
    ),
]
