"""The registry of item kinds.

Each kind (event, publication, news, call, award, consultation) is declared once, in its own
module beside this one, as a subclass of `Kind`. The declaration says:

- which columns and lists of an item belong to the kind (`fields`, `lists`): the form shows them,
  the domain clears the others when an item changes kind, the importer fills them;
- its own validation (`clean`), run by the domain for every input, whatever the door;
- its display facts (`facts`, `facts_template`): the lines an edition prints under a title and the
  rows of the key-facts box on the item page;
- its schema.org type and extra properties (`schema_type`, `jsonld`);
- its part of the API's item object (`api_key`, `api_data`, `api_fields` for the OpenAPI document);
- the words the importer knows it by (`import_words`).

`kinds.get(value)` answers for one kind, `kinds.all()` lists them in display order. Adding a kind
means a module here, a line in `enums.ItemKind`, a migration for any new column, and a template for
its facts box.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Kind:
    #: The stored value, one of enums.ItemKind.
    value: ClassVar[str]
    #: Item columns that belong to this kind only; cleared when an item becomes another kind.
    fields: ClassVar[tuple[str, ...]] = ()
    #: Related lists that belong to this kind: "days", "people", "winners", "series", "award_categories".
    lists: ClassVar[tuple[str, ...]] = ()
    #: The schema.org type of its JSON-LD.
    schema_type: ClassVar[str] = "CreativeWork"
    #: The key of this kind's object in the API's item, or "" when it has none.
    api_key: ClassVar[str] = ""
    #: {JSON name: (Python type, description)} of that object, for the OpenAPI document.
    api_fields: ClassVar[dict[str, tuple[Any, str]]] = {}
    #: A regular expression of the words (any language) that announce an item of this kind; the importer
    #: matches it as whole words, ignoring case.
    import_words: ClassVar[str] = ""
    #: When the words of two kinds are found at the same place, the lower number wins.
    import_priority: ClassVar[int] = 100
    #: The date of a non-event item that lists sort by, in order of preference.
    date_fields: ClassVar[tuple[str, ...]] = ("published_on",)
    #: Position in menus and filters.
    order: ClassVar[int] = 100

    @property
    def label(self):
        from ..enums import ItemKind

        return ItemKind(self.value).label

    @property
    def facts_template(self) -> str:
        return f"content/kinds/{self.value}.html"

    def prepare(self, item) -> None:
        """Put typed values in their stored form before they are checked (codes in capitals...)."""

    def clean(self, item, extra=None) -> dict[str, str]:
        """Errors of this kind's own rules, keyed by field: {} when all is well.

        `extra` holds the typed lists that came with the input (an `ItemInput`), for rules that
        look beyond the row, such as award categories belonging to the chosen programme."""
        return {}

    def sort_date(self, item):
        for name in self.date_fields:
            value = getattr(item, name, None)
            if value:
                return value
        return None

    def is_open(self, item) -> bool | None:
        """Whether answers are still taken today; None for kinds that take none."""
        return None

    def facts(self, item) -> list[str]:
        """Short lines an edition prints under the title ("Deadline: 30 November 2020")."""
        return []

    def edition_links(self, item) -> list[dict]:
        """Links an edition puts first ("Register", "Read the publication")."""
        return []

    def jsonld(self, item, data: dict, absolute_url: str) -> None:
        """Add this kind's schema.org properties to `data`."""

    def api_data(self, item, absolute) -> dict | None:
        """This kind's object in the API's item; `absolute(path)` makes a full address."""
        return None

    def __repr__(self):
        return f"<Kind {self.value}>"


def place_ref(obj) -> dict | None:
    """A country or region as the API shows it."""
    return {"code": obj.pk, "name": obj.name} if obj is not None else None


_REGISTRY: dict[str, Kind] = {}


def register(cls: type[Kind]) -> type[Kind]:
    if cls.value in _REGISTRY:
        raise ValueError(f"The item kind {cls.value!r} is registered twice.")
    _REGISTRY[cls.value] = cls()
    return cls


def exists(value: str) -> bool:
    return value in _REGISTRY


def get(value: str) -> Kind:
    """The kind of this value; a KeyError names an unknown one."""
    try:
        return _REGISTRY[value]
    except KeyError:
        raise KeyError(f"Unknown item kind {value!r}; known: {', '.join(_REGISTRY)}") from None


def all() -> list[Kind]:  # noqa: A001 - read as kinds.all()
    return sorted(_REGISTRY.values(), key=lambda k: k.order)


def all_fields() -> list[str]:
    """Every column some kind owns."""
    return sorted({name for kind in _REGISTRY.values() for name in kind.fields})


from . import award, call, consultation, event, news, publication  # noqa: E402,F401  (each registers itself)
