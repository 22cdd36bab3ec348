"""Who may open each URL of the monitoring app: the SiSa part, the determinations and the dashboards part, each in
its own list."""

from .access_matrix_dashboards import CASES as DASHBOARD_CASES
from .access_matrix_determination import CASES as DETERMINATION_CASES
from .access_matrix_sisa import CASES as SISA_CASES

CASES = SISA_CASES + DETERMINATION_CASES + DASHBOARD_CASES
