"""Links that keep the current address's filters: what `{% querystring %}` does in a template, for a view."""


def query_with(request, **changes) -> str:
    """The query string of `request` (without "?") with `changes` applied: a value sets its parameter, None removes
    it (for example `pagina=None`: a new sort or filter starts at the first page)."""
    query = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
