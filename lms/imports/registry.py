"""What each kind of import does in the background. The apps that own an importer
register it here (in their AppConfig.ready), so that this app imports none of them."""

from collections.abc import Callable
from dataclasses import dataclass, field


class ImportJobFailed(Exception):
    """The file cannot be imported and nothing was written; `messages` names every
    problem (row and reason) in the clerk's words."""

    def __init__(self, messages: list[str]):
        self.messages = [str(m) for m in messages]
        super().__init__("; ".join(self.messages))


@dataclass
class ImportOutcome:
    summary: str
    details: list[str] = field(default_factory=list)
    result: dict = field(default_factory=dict)


# run(job, data, progress) -> ImportOutcome, raising ImportJobFailed; progress(done, total).
Runner = Callable[..., ImportOutcome]


@dataclass(frozen=True)
class ImportKindSpec:
    run: Runner
    # The import page the progress page links back to: import_url() -> its URL.
    import_url: Callable[[], str]
    # Links shown on a finished job's page to whoever sees it: links(job, user) ->
    # [(label, url)].
    links: Callable[..., list[tuple[str, str]]] | None = None


_KINDS: dict[str, ImportKindSpec] = {}


def import_kind_register(kind: str, spec: ImportKindSpec) -> None:
    _KINDS[kind] = spec


def import_kind(kind: str) -> ImportKindSpec:
    return _KINDS[kind]
