"""Loading a catalog from the plans/ and rules/ directories, with every error located.

Each YAML file says what it is (``kind:``). All files load and validate first;
references between them (a plan's formulary, network, prices and edit set) are
resolved next; edit conditions are compiled last. Every problem found anywhere is
reported together, each with file:line, and a catalog with any problem is never
returned — so a bad file never replaces a good loaded version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from engine.catalog.catalog import Catalog, MemoryMemberDirectory, PlanRuntime, PlanTests
from engine.compliance.effective import plan_mandates
from engine.compliance.library import MandateLibrary, RuleSet
from engine.compliance.model import MandateFile
from engine.edits.backends import EditBackend
from engine.edits.compiled import CompiledEdits, compile_edits
from engine.edits.facts import PlanFacts
from engine.edits.model import EditSetFile
from engine.plans.formulary import Formulary, FormularyFile, load_formulary_table
from engine.plans.members import Family, MembersFile, family_from_model
from engine.plans.network import Network, NetworkFile, load_pharmacy_table
from engine.plans.plan import PlanVersion
from engine.plans.prices import (
    Price,
    PriceFile,
    PriceList,
    load_nadac_table,
    load_price_table,
)
from engine.plantests.csvscenarios import load_csv_scenarios
from engine.plantests.model import PlanTestFile
from engine.priorauth.csvfile import load_prior_auths
from engine.priorauth.model import PriorAuthFile, PriorAuthorization
from engine.reconcile.tolerance.model import ToleranceFile
from engine.sourcefile import (
    SourceFileError,
    SourceIssue,
    SourceRef,
    YamlDocument,
    load_yaml,
    validate,
)

__all__ = ["ID_KEYS", "load_catalog", "yaml_files"]

_MODELS: dict[str, type[BaseModel]] = {
    "plan": PlanVersion,
    "formulary": FormularyFile,
    "network": NetworkFile,
    "prices": PriceFile,
    "edits": EditSetFile,
    "members": MembersFile,
    "mandates": MandateFile,
    "tolerances": ToleranceFile,
    "plan-tests": PlanTestFile,
    "prior-authorizations": PriorAuthFile,
}


ID_KEYS: dict[str, str] = {
    "plan": "plan",
    "formulary": "formulary",
    "network": "network",
    "prices": "prices",
    "edits": "edit_set",
    "members": "members",
    "mandates": "mandates",
    "tolerances": "tolerances",
    "plan-tests": "plan",
    "prior-authorizations": "prior_authorizations",
}


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """Every ``.yaml``/``.yml`` file under the given files and directories, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
        else:
            found.append(path)
    return sorted(set(found))


class _Loader:
    """Accumulates loaded models and issues across all files of one catalog build."""

    def __init__(self) -> None:
        self.issues: list[SourceIssue] = []
        self.models: dict[str, list[tuple[Any, YamlDocument, Path]]] = defaultdict(list)
        self.declared: dict[str, set[str]] = defaultdict(set)
        """Ids each file declares, even when it fails to validate: a reference to a
        broken file is that file's problem, not a second error at every reference."""
        self.failed_versions: set[tuple[str, str, str]] = set()
        """(kind, id, version) of files that declare them but fail to validate."""

    def read(self, path: Path) -> None:
        try:
            document = load_yaml(path)
        except SourceFileError as exc:
            self.issues.extend(exc.issues)
            return
        data = document.data
        kind = data.get("kind") if isinstance(data, dict) else None
        if kind not in _MODELS:
            self.issues.append(
                SourceIssue(
                    document.ref(()),
                    f"unknown or missing 'kind' {kind!r}: expected one of {', '.join(_MODELS)}",
                )
            )
            return
        declared_id = data.get(ID_KEYS[kind])
        if isinstance(declared_id, str):
            self.declared[kind].add(declared_id)
        try:
            model = validate(_MODELS[kind], document)
        except SourceFileError as exc:
            self.issues.extend(exc.issues)
            self.failed_versions.add((kind, str(declared_id), str(data.get("version"))))
            return
        self.models[kind].append((model, document, path))

    def table(self, loader: Any, path: Path, *args: Any) -> Any:
        try:
            return loader(path, *args)
        except SourceFileError as exc:
            self.issues.extend(exc.issues)
            return None

    def no_overlaps(self, kind: str, id_attr: str) -> None:
        """Versions of one id must have distinct labels and must not overlap in time."""
        by_id: dict[str, list[tuple[Any, YamlDocument]]] = defaultdict(list)
        for model, document, _ in self.models[kind]:
            by_id[getattr(model, id_attr)].append((model, document))
        for versions in by_id.values():
            for i, (a, doc_a) in enumerate(versions):
                for b, _ in versions[i + 1 :]:
                    if a.version == b.version:
                        self.issues.append(
                            SourceIssue(
                                doc_a.ref(("version",)),
                                f"{kind} {getattr(a, id_attr)} version {a.version} twice",
                            )
                        )
                    elif a.effective.overlaps(b.effective):
                        self.issues.append(
                            SourceIssue(
                                doc_a.ref(("effective",)),
                                f"{kind} "
                                f"{getattr(a, id_attr)} versions {a.version} and "
                                f"{b.version} overlap in time",
                            )
                        )

    def unique_edit_sets(self) -> None:
        """Edit-set versions coexist (plans name theirs), but each label only once."""
        seen: set[tuple[str, str]] = set()
        for model, document, _ in self.models["edits"]:
            key = (model.edit_set, model.version)
            if key in seen:
                self.issues.append(
                    SourceIssue(
                        document.ref(("version",)), f"edit set {key[0]} version {key[1]} twice"
                    )
                )
            seen.add(key)


def _formularies(loader: _Loader) -> dict[str, list[Formulary]]:
    result: dict[str, list[Formulary]] = defaultdict(list)
    for model, _, path in loader.models["formulary"]:
        drugs = loader.table(load_formulary_table, path.parent / model.drugs)
        if drugs is not None:
            result[model.formulary].append(
                Formulary(model.formulary, model.version, model.effective, drugs)
            )
    return result


def _networks(loader: _Loader) -> dict[str, list[Network]]:
    result: dict[str, list[Network]] = defaultdict(list)
    for model, _, path in loader.models["network"]:
        pharmacies = loader.table(
            load_pharmacy_table, path.parent / model.pharmacies, model.contracts
        )
        if pharmacies is not None:
            result[model.network].append(
                Network(
                    model.network, model.version, model.effective, pharmacies, model.out_of_network
                )
            )
    return result


def _price_lists(loader: _Loader) -> dict[str, list[PriceList]]:
    result: dict[str, list[PriceList]] = defaultdict(list)
    for model, document, path in loader.models["prices"]:
        if model.table is None and model.nadac is None:
            loader.issues.append(
                SourceIssue(document.ref(()), "give a table, a nadac file or both")
            )
            continue
        table = (
            {} if model.table is None else loader.table(load_price_table, path.parent / model.table)
        )
        nadac = (
            {} if model.nadac is None else loader.table(load_nadac_table, path.parent / model.nadac)
        )
        if table is None or nadac is None:
            continue
        merged = dict(table)
        for ndc, unit in nadac.items():
            current = merged.get(ndc)
            if current is None:
                merged[ndc] = Price(awp_unit=None, mac_unit=unit)
            elif current.mac_unit is None:
                merged[ndc] = Price(awp_unit=current.awp_unit, mac_unit=unit)
        result[model.prices].append(PriceList(model.prices, model.version, model.effective, merged))
    return result


def plan_facts(plan: PlanVersion) -> PlanFacts:
    """The plan settings edit conditions may read, computed once per plan version."""
    return PlanFacts(
        id=plan.plan,
        type=plan.type.value,
        covers_out_of_network=plan.network_rules.out_of_network == "cover",
        open_formulary=plan.non_formulary_tier is not None,
        dependent_max_age=plan.dependent_max_age,
        timely_filing_days=plan.timely_filing_days,
    )


class _RuleLocator:
    """Where a plan version's rule conditions were written: its own file or the edit set's."""

    def __init__(
        self,
        plan: PlanVersion,
        plan_document: YamlDocument,
        edit_set: EditSetFile,
        set_document: YamlDocument,
    ) -> None:
        self._plan = plan
        self._plan_document = plan_document
        self._set_document = set_document
        self._rules = {rule.id: i for i, rule in enumerate(edit_set.rules)}
        self._added = {rule.id: i for i, rule in enumerate(plan.edits.add)}

    def __call__(self, rule_id: str) -> SourceRef:
        if rule_id in self._added:
            return self._plan_document.value_ref(("edits", "add", self._added[rule_id], "when"))
        override = self._plan.edits.override.get(rule_id)
        if override is not None and override.when is not None:
            return self._plan_document.value_ref(("edits", "override", rule_id, "when"))
        return self._set_document.value_ref(("rules", self._rules[rule_id], "when"))


def _plans(
    loader: _Loader,
    edit_sets: dict[tuple[str, str], tuple[EditSetFile, YamlDocument]],
    known: dict[str, set[str]],
    library: MandateLibrary,
    backend: EditBackend = "compiled",
) -> dict[str, list[PlanRuntime]]:
    result: dict[str, list[PlanRuntime]] = defaultdict(list)
    for plan, document, path in loader.models["plan"]:
        for kind, ref in (
            ("formulary", plan.formulary),
            ("network", plan.network),
            ("prices", plan.prices),
        ):
            if ref not in known[kind]:
                loader.issues.append(
                    SourceIssue(document.ref((kind,)), f"no {kind} named {ref!r} is loaded")
                )
        found = edit_sets.get((plan.edits.name, plan.edits.version))
        if found is None:
            loader.issues.append(
                SourceIssue(
                    document.ref(("edits",)),
                    f"no edit set {plan.edits.name} version {plan.edits.version} is loaded",
                )
            )
            continue
        edit_set, set_document = found
        locate = _RuleLocator(plan, document, edit_set, set_document)
        edits, issues = compile_edits(
            edit_set, plan.edits, locate, document.ref(("edits",)), backend
        )
        loader.issues.extend(issues)
        if edits is not None:
            _check_clarifications(loader, plan, document, edits)
            mandates = plan_mandates(plan, library.in_force(plan))
            result[plan.plan].append(
                PlanRuntime(plan, edits, str(path), plan_facts(plan), mandates)
            )
    return result


def _check_clarifications(
    loader: _Loader, plan: PlanVersion, document: YamlDocument, edits: CompiledEdits
) -> None:
    """Clarification codes may lift only benefit rules the plan's edit set has."""
    benefit = {rule.id for rule in edits.phases["benefit"]}
    for index, override in enumerate(plan.clarification_overrides):
        unknown = sorted(override.lifts - benefit)
        if unknown:
            loader.issues.append(
                SourceIssue(
                    document.ref(("clarification_overrides", index, "lifts")),
                    f"no benefit rule(s) {', '.join(unknown)} in edit set {edits.id} to lift",
                )
            )


def _prior_auths(loader: _Loader, families: dict[str, Family]) -> tuple[PriorAuthorization, ...]:
    """The approvals of the prior-authorization files, each for a member on file."""
    found: dict[str, PriorAuthorization] = {}
    for model, document, path in loader.models["prior-authorizations"]:
        table = loader.table(load_prior_auths, path.parent / model.table)
        for pa in table or ():
            family = families.get(pa.cardholder_id)
            if family is None or pa.person_code not in family.persons:
                problem = f"PA {pa.number} is for {pa.cardholder_id}-{pa.person_code}, not on file"
            elif pa.number in found:
                problem = f"PA {pa.number} is in two files"
            else:
                found[pa.number] = pa
                continue
            loader.issues.append(SourceIssue(document.ref(("table",)), problem))
    return tuple(found.values())


def _routes(loader: _Loader) -> dict[tuple[str, str, str], str]:
    routes: dict[tuple[str, str, str], str] = {}
    for plan, document, _ in loader.models["plan"]:
        for group in plan.routing.groups:
            key = (plan.routing.bin, plan.routing.pcn, group)
            owner = routes.setdefault(key, plan.plan)
            if owner != plan.plan:
                loader.issues.append(
                    SourceIssue(
                        document.ref(("routing",)),
                        f"BIN {key[0]} PCN {key[1]} group {group} already routes to plan {owner}",
                    )
                )
    return routes


def _families(loader: _Loader, plan_ids: set[str]) -> dict[str, Family]:
    families: dict[str, Family] = {}
    for members, document, _ in loader.models["members"]:
        for index, model in enumerate(members.families):
            where = document.ref(("families", index))
            if model.cardholder_id in families:
                loader.issues.append(
                    SourceIssue(where, f"cardholder id {model.cardholder_id} appears twice")
                )
                continue
            for coverage in model.coverages:
                if coverage.plan not in plan_ids:
                    loader.issues.append(
                        SourceIssue(where, f"coverage names unknown plan {coverage.plan!r}")
                    )
            families[model.cardholder_id] = family_from_model(model)
    return families


def _plan_tests(loader: _Loader) -> list[PlanTests]:
    """Test files with their CSV scenarios; a test file names a loaded plan version."""
    found: list[PlanTests] = []
    versions = {(m.plan, m.version) for m, _, _ in loader.models["plan"]}
    for tests, document, path in loader.models["plan-tests"]:
        if (tests.plan, tests.version) not in versions:
            if ("plan", tests.plan, tests.version) in loader.failed_versions:
                continue
            known = tests.plan in loader.declared["plan"]
            loader.issues.append(
                SourceIssue(
                    document.ref(("version",) if known else ("plan",)),
                    f"plan {tests.plan} has no version {tests.version} to test"
                    if known
                    else f"test file names unknown plan {tests.plan!r}",
                )
            )
            continue
        if any((f.file.plan, f.file.version) == (tests.plan, tests.version) for f in found):
            loader.issues.append(
                SourceIssue(
                    document.ref(("version",)),
                    f"a second test file for {tests.plan} version {tests.version}",
                )
            )
            continue
        scenarios = tests.scenarios
        if tests.csv is not None:
            more = loader.table(load_csv_scenarios, path.parent / tests.csv)
            if more is None:
                continue
            names = {s.name for s in scenarios}
            for twice in sorted({s.name for s in more} & names):
                loader.issues.append(
                    SourceIssue(
                        document.ref(("csv",)),
                        f"scenario {twice!r} is named both here and in {tests.csv}",
                    )
                )
            scenarios = (*scenarios, *more)
        found.append(PlanTests(tests, scenarios, str(path)))
    return found


def _sorted(groups: dict[str, list[Any]]) -> dict[str, tuple[Any, ...]]:
    return {
        key: tuple(sorted(items, key=lambda v: v.effective.from_)) for key, items in groups.items()
    }


def load_catalog(paths: Sequence[Path], edit_backend: EditBackend = "compiled") -> Catalog:
    """Load and validate every file under ``paths``; raise SourceFileError listing all problems.

    ``edit_backend`` chooses what evaluates the edit rules (see ``engine.edits.backends``).
    """
    files = yaml_files(paths)
    loader = _Loader()
    if not files:
        where = SourceRef(", ".join(map(str, paths)) or ".", 1, 1)
        raise SourceFileError([SourceIssue(where, "no YAML files found")])
    for path in files:
        loader.read(path)
    for kind, id_attr in (
        ("plan", "plan"),
        ("formulary", "formulary"),
        ("network", "network"),
        ("prices", "prices"),
        ("mandates", "mandates"),
    ):
        loader.no_overlaps(kind, id_attr)
    loader.unique_edit_sets()
    formularies = _formularies(loader)
    networks = _networks(loader)
    price_lists = _price_lists(loader)
    edit_sets = {(m.edit_set, m.version): (m, d) for m, d, _ in loader.models["edits"]}
    known = {kind: loader.declared[kind] for kind in ("formulary", "network", "prices")}
    library = MandateLibrary(
        tuple(RuleSet(model, str(path)) for model, _, path in loader.models["mandates"])
    )
    plans = _plans(loader, edit_sets, known, library, edit_backend)
    plan_tests = _plan_tests(loader)
    routes = _routes(loader)
    families = _families(loader, loader.declared["plan"])
    prior_auths = _prior_auths(loader, families)
    if loader.issues:
        raise SourceFileError(loader.issues)
    return Catalog(
        plans=_sorted(plans),
        formularies=_sorted(formularies),
        networks=_sorted(networks),
        prices=_sorted(price_lists),
        members=MemoryMemberDirectory(families),
        routes=routes,
        sources=tuple(str(f) for f in files),
        mandates=library,
        plan_tests=tuple(plan_tests),
        prior_authorizations=prior_auths,
    )
