"""Who may see or do what in the monitoring app: each room's permissions (`accountability`, `chains`,
`dashboards`), collected here for the views and tests that ask the app."""

from .accountability.permissions import (  # noqa: F401
    can_correct_report, can_edit_report, can_file_for, can_manage_sisa, can_read_report, can_start_reports,
    can_view_reports, visible_reports)
from .chains.permissions import can_record_monitoring, can_view_monitoring  # noqa: F401
from .dashboards.permissions import (  # noqa: F401
    can_make_exports, can_open_export, can_view_national_dashboard, can_view_region_dashboard)
