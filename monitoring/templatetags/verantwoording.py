"""`{{ report|sisa_state }}`: the state of a SiSa report as the table `monitoring.accountability.flow` describes it
(label, badge tone, editable, has_appendix, replaced), so that templates never compare stored codes."""

from django import template

from monitoring.accountability.flow import STATES

register = template.Library()


@register.filter
def sisa_state(report):
    return STATES[report.status]
