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

app_name = "accounts"

urlpatterns: list = [
    path("", home.HomeView.as_view(), name="home"),
    path("activity/", activity.ActivityView.as_view(), name="activity"),
    path("program/switch/", programs.program_switch, name="program_switch"),
    path("program/new/", program_setup.program_create_page, name="program_create"),
    path("program/", program_setup.program_settings_page, name="program_settings"),
    path("program/companies/new/", program_setup.company_create_page, name="company_create"),
    path(
        "program/companies/<int:pk>/edit/",
        program_setup.company_update_page,
        name="company_update",
    ),
    path(
        "program/companies/<int:pk>/delete/",
        program_setup.company_delete_page,
        name="company_delete",
    ),
    path("welcome/<str:uidb64>/<str:token>/", welcome.set_password_page, name="set_password"),
    path("accounts/", accounts.AccountListView.as_view(), name="account_list"),
    path("accounts/<int:pk>/", accounts.AccountDetailView.as_view(), name="account_detail"),
    path("whitespace/", whitespace.WhitespaceView.as_view(), name="whitespace"),
    path("overlap/", overlap.OverlapView.as_view(), name="overlap"),
    path("product-map/", product_map.product_map_page, name="product_map"),
    path(
        "product-map/new/", product_map.product_mapping_create_page, name="product_mapping_create"
    ),
    path(
        "product-map/<int:pk>/edit/",
        product_map.product_mapping_update_page,
        name="product_mapping_update",
    ),
    path(
        "product-map/<int:pk>/delete/",
        product_map.product_mapping_delete_page,
        name="product_mapping_delete",
    ),
    path("risk-policy/", risk.risk_policy_page, name="risk_policy"),
    path("segments/", segments.segments_page, name="segments"),
    path("segments/<str:kind>/new/", segments.segment_setting_edit, name="segment_setting_create"),
    path(
        "segments/<str:kind>/<int:pk>/edit/",
        segments.segment_setting_edit,
        name="segment_setting_update",
    ),
    path(
        "segments/<str:kind>/<int:pk>/delete/",
        segments.segment_setting_delete,
        name="segment_setting_delete",
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
