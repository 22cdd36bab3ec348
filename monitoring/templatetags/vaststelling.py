"""`{{ determination|determination_state }}`: the state of a determination as the table
`monitoring.determination.flow` describes it (label, badge tone, determined, open reclaim, closed), so that
templates never compare stored codes."""

from django import template

from monitoring.determination.flow import STATES

register = template.Library()


@register.filter
def determination_state(determination):
    return STATES[determination.status]
