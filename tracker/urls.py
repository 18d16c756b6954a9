from django.urls import path

from core.routes import import_paths, record_paths
from tracker.views import (
    board,
    compensation,
    core_win_rates,
    credited,
    credits,
    exchange_rates,
    frozen_pipeline,
    home,
    opportunities,
    org,
    people,
    pipeline,
    quotas,
    setup,
    supervision,
    targets,
    wins,
)

app_name = "tracker"

urlpatterns: list = [
    path("me/", home.rep_home_page, name="rep_home"),
    path("me/seen/", home.rep_home_seen, name="rep_home_seen"),
    path("pipeline/", pipeline.PipelineView.as_view(), name="pipeline"),
    path("pipeline/board/", board.BoardView.as_view(), name="pipeline_board"),
    # A closed month's open deals as they stood at its end (YYYY-MM).
    path(
        "pipeline/closed/<str:month>/",
        frozen_pipeline.FrozenPipelineView.as_view(),
        name="pipeline_frozen",
    ),
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
    *import_paths("quotas/", "quota", quotas.quota_import_page, quotas.quota_template_page),
    path("quotas/<int:pk>/history/", quotas.quota_history_page, name="quota_history"),
    path("quotas/credited/<int:pk>/", credited.credited_deals_page, name="credited_deals"),
    path(
        "quotas/credited/team/<int:pk>/",
        credited.team_credited_deals_page,
        name="credited_deals_team",
    ),
    path("core-win-rates/", core_win_rates.core_win_rates_page, name="core_win_rates"),
    path(
        "core-win-rates/<int:pk>/delete/",
        core_win_rates.core_win_rate_delete_page,
        name="core_win_rate_delete",
    ),
    *import_paths(
        "core-win-rates/",
        "core_win_rate",
        core_win_rates.core_win_rate_import_page,
        core_win_rates.core_win_rate_template_page,
    ),
    path("exchange-rates/", exchange_rates.exchange_rates_page, name="exchange_rates"),
    path("compensation/", compensation.compensation_page, name="compensation"),
    path("compensation/plans/new/", compensation.comp_plan_create_page, name="comp_plan_create"),
    path(
        "compensation/plans/<int:pk>/edit/",
        compensation.comp_plan_edit_page,
        name="comp_plan_edit",
    ),
    # Setup: the checklist, people, the sales organisation, stages and targets.
    path("setup/", setup.setup_page, name="setup"),
    path("people/", people.people_page, name="people"),
    path("people/new/", people.person_create_page, name="person_create"),
    path("people/add/", people.person_add_page, name="person_add"),
    path("people/<int:pk>/", people.person_update_page, name="person_update"),
    path("people/<int:pk>/invite/", people.person_invite_page, name="person_invite"),
    path("people/<int:pk>/remove/", people.person_remove_page, name="person_remove"),
    path("people/import/", org.org_import_page, name="org_import"),
    path("people/import/<str:kind>.csv", org.org_template_page, name="org_template"),
    path("teams/", org.teams_page, name="teams"),
    *record_paths(
        "teams/", "team", org.team_create_page, org.team_update_page, org.team_delete_page
    ),
    path("reps/", org.reps_page, name="reps"),
    *record_paths("reps/", "rep", org.rep_create_page, org.rep_update_page),
    path("certifications/", org.certifications_page, name="certifications"),
    path(
        "certifications/<int:pk>/delete/",
        org.certification_delete_page,
        name="certification_delete",
    ),
    path("stages/", org.stages_page, name="stages"),
    *record_paths(
        "stages/", "stage", org.stage_create_page, org.stage_update_page, org.stage_delete_page
    ),
    path("targets/", targets.targets_page, name="targets"),
    *import_paths("targets/", "target", targets.target_import_page, targets.target_template_page),
]
