from django.urls import path

from accounts.views import (
    accounts,
    activity,
    home,
    imports,
    matching,
    overlap,
    product_map,
    program_setup,
    programs,
    risk,
    segments,
    welcome,
    whitespace,
)
from core.routes import record_paths

app_name = "accounts"

urlpatterns: list = [
    path("", home.HomeView.as_view(), name="home"),
    path("activity/", activity.ActivityView.as_view(), name="activity"),
    path("program/switch/", programs.program_switch, name="program_switch"),
    path("program/new/", program_setup.program_create_page, name="program_create"),
    path("program/", program_setup.program_settings_page, name="program_settings"),
    *record_paths(
        "program/companies/",
        "company",
        program_setup.company_create_page,
        program_setup.company_update_page,
        program_setup.company_delete_page,
    ),
    path("welcome/<str:uidb64>/<str:token>/", welcome.set_password_page, name="set_password"),
    path("accounts/", accounts.AccountListView.as_view(), name="account_list"),
    path("accounts/<int:pk>/", accounts.AccountDetailView.as_view(), name="account_detail"),
    path("whitespace/", whitespace.WhitespaceView.as_view(), name="whitespace"),
    path("overlap/", overlap.OverlapView.as_view(), name="overlap"),
    path("product-map/", product_map.product_map_page, name="product_map"),
    *record_paths(
        "product-map/",
        "product_mapping",
        product_map.product_mapping_create_page,
        product_map.product_mapping_update_page,
        product_map.product_mapping_delete_page,
    ),
    path("risk-policy/", risk.risk_policy_page, name="risk_policy"),
    path("segments/", segments.segments_page, name="segments"),
    # One page adds and edits a segment setting; the kind in its path says which list.
    *record_paths(
        "segments/<str:kind>/",
        "segment_setting",
        segments.segment_setting_edit,
        segments.segment_setting_edit,
        segments.segment_setting_delete,
    ),
    path("accounts/<int:pk>/segment/", segments.account_segment_page, name="account_segment"),
    path("matching/review/", matching.review_queue_page, name="match_review"),
    path("matching/review/reject/", matching.candidates_reject, name="match_candidates_reject"),
    path("matching/review/confirm/", matching.candidates_confirm, name="match_candidates_confirm"),
    path("matching/candidates/<int:pk>/", matching.candidate_page, name="match_candidate"),
    path(
        "matching/candidates/<int:pk>/confirm/",
        matching.candidate_confirm,
        name="match_candidate_confirm",
    ),
    path(
        "matching/candidates/<int:pk>/reject/",
        matching.candidate_reject,
        name="match_candidate_reject",
    ),
    path("matching/accounts/<int:pk>/", matching.account_matching_page, name="match_account"),
    path("matching/accounts/<int:pk>/merge/", matching.account_merge, name="match_account_merge"),
    path("matching/records/<int:pk>/split/", matching.source_split, name="match_source_split"),
    path("imports/", imports.import_list, name="imports"),
    path("imports/templates/<str:kind>.csv", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/mapping/", imports.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/start/", imports.import_start, name="import_start"),
    path("imports/<int:pk>/status/", imports.import_status, name="import_status"),
    path("imports/<int:pk>/problems.csv", imports.import_error_report, name="import_errors"),
]
