from django.urls import path

from . import api

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
]
