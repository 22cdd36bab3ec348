"""The national report's PDF is laid out with user-agent defaults of its own (static/css/report-ua.css) instead
of WeasyPrint's HTML5 stylesheet, to save a tenth of its render time: the pages must come out as they would
with WeasyPrint's defaults, and every element the report uses must have its defaults in that stylesheet."""

from html.parser import HTMLParser

import tinycss2
from django.contrib.staticfiles import finders

from budgets.reports import REPORT_USER_AGENT_CSS, report_html
from spukportal import pdf


def _text_boxes(document):
    """(page, text, x, y, width, height, bold) of every piece of text on every page, rounded to 0.01 px."""
    boxes = []
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            if getattr(box, "text", ""):
                boxes.append((number, box.text, *(round(v, 2) for v in (box.position_x, box.position_y,
                                                                        box.width, box.height)),
                              box.style["font_weight"]))
    return boxes


def test_the_report_looks_the_same_with_its_own_defaults_as_with_weasyprints(demo_run):
    html = report_html(demo_run)
    theirs = pdf.pdf_document(html).render(font_config=pdf._font_config())
    ours = pdf.pdf_document(html, user_agent=REPORT_USER_AGENT_CSS).render(font_config=pdf._font_config())
    assert len(ours.pages) == len(theirs.pages) > 5
    mine, reference = _text_boxes(ours), _text_boxes(theirs)
    assert len(mine) > 2000
    assert mine == reference
    outline = ours.make_bookmark_tree()
    assert outline[0][0] == "Verdeelrapport" and len(outline[0][2]) == 3, "h1 with its three h2 in the outline"
    assert outline == theirs.make_bookmark_tree()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)


def test_every_element_of_the_report_has_its_defaults_in_the_reports_stylesheet(demo_run):
    parser = _Tags()
    parser.feed(report_html(demo_run))
    with open(finders.find(REPORT_USER_AGENT_CSS), encoding="utf-8") as handle:
        rules = tinycss2.parse_stylesheet(handle.read(), skip_comments=True, skip_whitespace=True)
    named = {token.value for rule in rules if rule.type == "qualified-rule"
             for token in rule.prelude if token.type == "ident"}
    assert {"table", "td", "th", "h1", "h2", "caption", "colgroup", "col"} <= parser.tags
    in_head = {"meta", "title", "link"}  # hidden with <head>
    assert parser.tags - in_head <= named, "an element of the report without its defaults in report-ua.css"
