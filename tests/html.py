"""Reading pages in tests, the way a browser would: a real HTML parser (selectolax's Lexbor
engine) queried with CSS selectors.

    page = parse(response.text)
    one(page, "table#courses")                  # the single element a selector names
    find_all(page, "tr[data-vacancy]")          # every match, in page order
    text(node)                                  # its text, whitespace collapsed
    attr(page, "dd[data-field=status]", "data-status")
    table_rows(page, "table#courses")           # cell texts of each body row
    field_errors(page)                          # field name -> error messages shown next to it

Elements are selectolax `LexborNode`s: `node.tag`, `node.parent` and `node.attributes` (an
attribute written without a value reads as None) stay available. Prefer `find_all` to the
parser's own `node.css`: on an element, `css` also matches the element itself, while these
functions look only inside the scope they are given.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

Node = LexborNode
Scope = LexborHTMLParser | LexborNode


def parse(html: str) -> LexborHTMLParser:
    """The parsed document, to query with the functions below."""
    return LexborHTMLParser(html)


def find_all(scope: Scope, selector: str) -> list[LexborNode]:
    """Every element inside `scope` (not `scope` itself) that `selector` matches, in page
    order."""
    found = scope.css(selector)
    if isinstance(scope, LexborNode):
        found = [node for node in found if node != scope]
    return found


def one(scope: Scope, selector: str) -> LexborNode:
    """The one element `selector` matches inside `scope`; fails when there is none or several."""
    found = find_all(scope, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}, expected one"
    return found[0]


def first(scope: Scope, selector: str) -> LexborNode:
    """The first element `selector` matches; fails when there is none."""
    found = find_all(scope, selector)
    assert found, f"nothing matches {selector!r}"
    return found[0]


def text(node: LexborNode) -> str:
    """The text a reader sees in `node`, runs of whitespace collapsed to one space."""
    return " ".join(node.text(separator=" ").split())


def texts(scope: Scope, selector: str) -> list[str]:
    """The text of every element `selector` matches, in page order."""
    return [text(node) for node in find_all(scope, selector)]


def attrs(node: LexborNode) -> dict[str, str]:
    """Every attribute of `node`; one written without a value (`selected`) reads as ""."""
    return {name: value or "" for name, value in node.attributes.items()}


def attr(scope: Scope, selector: str, name: str) -> str:
    """Attribute `name` of the one element `selector` matches (fails when it has none)."""
    node = one(scope, selector)
    assert name in node.attributes, f"{selector!r} has no {name!r} attribute"
    return node.attributes[name] or ""


def data_attrs(node: LexborNode) -> dict[str, str]:
    """The data-* attributes of `node` without their prefix: data-kpi="x" -> {"kpi": "x"}."""
    return {
        name.removeprefix("data-"): value or ""
        for name, value in node.attributes.items()
        if name.startswith("data-")
    }


def links(scope: Scope, selector: str = "a[href]") -> list[str]:
    """The href of every element `selector` matches, in page order."""
    return [node.attributes.get("href") or "" for node in find_all(scope, selector)]


def body_rows(scope: Scope, table: str) -> list[LexborNode]:
    """The <tr> elements of the body of the one table `table` selects (not its header)."""
    return find_all(one(scope, table), "tbody > tr")


def cells(row: LexborNode) -> list[str]:
    """The text of each cell (<th> or <td>) of a table row."""
    return [text(cell) for cell in find_all(row, "th, td")]


def table_rows(scope: Scope, table: str) -> list[list[str]]:
    """The cell texts of each body row of the one table `table` selects."""
    return [cells(row) for row in body_rows(scope, table)]


def options(scope: Scope, select: str) -> list[tuple[str, str]]:
    """(value, label) of each option of the one <select> `select` names."""
    return [
        (node.attributes.get("value") or "", text(node))
        for node in find_all(one(scope, select), "option")
    ]


def selected(scope: Scope, select: str) -> list[str]:
    """The values of the chosen options of the one <select> `select` names."""
    return [
        node.attributes.get("value") or ""
        for node in find_all(one(scope, select), "option[selected]")
    ]


def form_fields(scope: Scope, form: str) -> dict[str, str]:
    """name -> value the one form `form` names would send as it stands: inputs (checked ones
    only for checkboxes and radios), the chosen option of each select, textareas."""
    fields: dict[str, str] = {}
    for node in find_all(one(scope, form), "input[name], select[name], textarea[name]"):
        name = node.attributes["name"] or ""
        kind = (node.attributes.get("type") or "text").lower()
        if node.tag == "select":
            chosen = find_all(node, "option[selected]") or find_all(node, "option")[:1]
            if chosen:
                fields[name] = chosen[0].attributes.get("value") or ""
        elif node.tag == "textarea":
            fields[name] = node.text()
        elif kind in ("checkbox", "radio"):
            if "checked" in node.attributes:
                fields[name] = node.attributes.get("value") or "on"
        elif kind not in ("submit", "button", "reset", "file"):
            fields[name] = node.attributes.get("value") or ""
    return fields


def field_errors(scope: Scope) -> dict[str, str]:
    """field name -> the error messages shown next to that field ("" for the whole form).

    Forms mark a message either with data-error-for="field" or as class="field-error"
    with data-field="field"; several messages for one field are joined with a space."""
    errors: dict[str, str] = {}
    marked = find_all(scope, "[data-error-for]")
    marked += find_all(scope, ".field-error[data-field]:not([data-error-for])")
    for node in marked:
        field = node.attributes.get("data-error-for")
        if field is None:
            field = node.attributes.get("data-field")
        key = field or ""
        errors[key] = f"{errors.get(key, '')} {text(node)}".strip()
    return errors
