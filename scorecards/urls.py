from django.urls import path

from scorecards.views import dashboard, exports, scorecard

app_name = "scorecards"

urlpatterns: list = [
    path("scorecards/", scorecard.scorecard_page, name="scorecard"),
    path("scorecards/recompute/", scorecard.scorecard_recompute, name="scorecard_recompute"),
    path("scorecards/segments/<int:pk>/", scorecard.segment_page, name="segment"),
    path("scorecards/segments/<int:pk>/<str:c>/", scorecard.segment_c_page, name="segment_c"),
    path("dashboards/", dashboard.program_dashboard_page, name="dashboard"),
    path("dashboards/teams/<int:pk>/", dashboard.team_dashboard_page, name="team_dashboard"),
    path("dashboards/reps/<int:pk>/", dashboard.rep_dashboard_page, name="rep_dashboard"),
    path("dashboards/me/", dashboard.my_dashboard_page, name="my_dashboard"),
    path("dashboards/restatements/", dashboard.restatements_page, name="restatements"),
    path("scorecards/exports/", exports.export_list, name="exports"),
    path("scorecards/exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("scorecards/exports/<int:pk>/status/", exports.export_status, name="export_status"),
    path("scorecards/exports/<int:pk>/download/", exports.export_download, name="export_download"),
]
