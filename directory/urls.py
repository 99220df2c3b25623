from django.urls import path

from . import api, confirmation_views, hsds_api, wegweiser_views, widget

urlpatterns = [
    path("api/directory/groups/", api.groups_api, name="directory_api_groups"),
    path("api/directory/export.csv", api.export_view, {"fmt": "csv"}, name="directory_export_csv"),
    path(
        "api/directory/export.json",
        api.export_view,
        {"fmt": "json"},
        name="directory_export_json",
    ),
    path("api/directory/hsds.json", api.export_view, {"fmt": "hsds"}, name="directory_export_hsds"),
    # Open Referral HSDS 3.0 API: paths as in the official OpenAPI description (no slash).
    path("api/directory/hsds", hsds_api.root, name="directory_hsds_root"),
    # The printed Selbsthilfe-Wegweiser of the visitor's selection (directory/wegweiser.py).
    path("wegweiser.pdf", wegweiser_views.wegweiser_pdf, name="directory_wegweiser"),
    # The link in a group's confirmation request (directory/confirmation.py).
    path(
        "gruppe/eintrag-pruefen/<str:token>/",
        confirmation_views.confirm_entry,
        name="directory_confirm_entry",
    ),
]
for _endpoint in hsds_api.ENDPOINTS:
    urlpatterns += [
        path(
            f"api/directory/hsds/{_endpoint}",
            hsds_api.listing,
            {"endpoint": _endpoint},
            name=f"directory_hsds_{_endpoint}",
        ),
        path(
            f"api/directory/hsds/{_endpoint}/<str:record_id>",
            hsds_api.detail,
            {"endpoint": _endpoint},
            name=f"directory_hsds_{_endpoint}_detail",
        ),
    ]

# The widget for partner sites (directory/widget.py): an iframe and its JSON feed.
urlpatterns += [
    path("widget/<slug:key>/", widget.widget_html, name="directory_widget"),
    path("widget/<slug:key>.json", widget.widget_json, name="directory_widget_json"),
]
