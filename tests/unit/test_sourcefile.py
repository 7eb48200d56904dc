"""YAML files whose every problem is reported at its file, line and column."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, model_validator

from engine.sourcefile import (
    LocatedError,
    SourceFileError,
    SourceIssue,
    SourceRef,
    load_yaml,
    validate,
)

PLAN = """\
plan_id: HMO-1
effective: 2026-01-01
plan_year_start: 01-01
cost_share:
  deductible:
    individual: 500
    family: 1000
  tiers:
    - tier: 1
      copay: 10
    - tier: 2
      copay: 12.50
      channels: [retail, mail]
"""


def test_data_is_plain_python_with_yaml_dates() -> None:
    document = load_yaml(PLAN, name="plans/hmo.yaml")
    assert document.data == {
        "plan_id": "HMO-1",
        "effective": dt.date(2026, 1, 1),
        "plan_year_start": "01-01",
        "cost_share": {
            "deductible": {"individual": 500, "family": 1000},
            "tiers": [
                {"tier": 1, "copay": 10},
                {"tier": 2, "copay": 12.5, "channels": ["retail", "mail"]},
            ],
        },
    }


@pytest.mark.parametrize(
    ("path", "entry", "value"),
    [
        ((), (1, 1), (1, 1)),
        (("plan_id",), (1, 1), (1, 10)),
        (("cost_share",), (4, 1), (5, 3)),
        (("cost_share", "deductible"), (5, 3), (6, 5)),
        (("cost_share", "deductible", "family"), (7, 5), (7, 13)),
        (("cost_share", "tiers"), (8, 3), (9, 5)),
        (("cost_share", "tiers", 0), (9, 7), (9, 7)),
        (("cost_share", "tiers", 1, "copay"), (12, 7), (12, 14)),
        (("cost_share", "tiers", 1, "channels", 1), (13, 26), (13, 26)),
    ],
)
def test_every_entry_and_value_has_its_position(
    path: tuple[str | int, ...], entry: tuple[int, int], value: tuple[int, int]
) -> None:
    document = load_yaml(PLAN, name="plans/hmo.yaml")
    assert document.ref(path) == SourceRef("plans/hmo.yaml", *entry)
    assert document.value_ref(path) == SourceRef("plans/hmo.yaml", *value)


def test_an_absent_path_falls_back_to_its_nearest_known_ancestor() -> None:
    document = load_yaml(PLAN, name="plans/hmo.yaml")
    assert document.ref(("cost_share", "tiers", 1, "coinsurance")) == SourceRef(
        "plans/hmo.yaml", 11, 7
    )
    assert document.known_prefix(("cost_share", "tiers", 7)) == ("cost_share", "tiers")


def test_yaml_11_booleans_are_kept_as_pyyaml_reads_them() -> None:
    assert load_yaml("mail_order: yes\nspecialty: off\n").data == {
        "mail_order": True,
        "specialty": False,
    }


def test_an_empty_document_is_none() -> None:
    document = load_yaml("# nothing yet\n", name="empty.yaml")
    assert (document.data, document.ref(("x",))) == (None, SourceRef("empty.yaml", 1, 1))


def test_merge_keys_and_recursive_aliases_load() -> None:
    document = load_yaml("base: &b {copay: 5, tier: 1}\nbrand:\n  <<: *b\n  copay: 10\n")
    assert document.data["brand"] == {"copay": 10, "tier": 1}
    assert document.ref(("brand", "copay")) == SourceRef("<string>", 4, 3)
    looped = load_yaml("a: &x [1, *x]\n")
    assert looped.data["a"][1] is looped.data["a"]


def test_duplicate_keys_are_errors_all_reported() -> None:
    text = "tier: 1\ncopay: 10\ntiers:\n  - {x: 1, x: 2}\ncopay: 15\n"
    with pytest.raises(SourceFileError) as caught:
        load_yaml(text, name="plans/dup.yaml")
    assert str(caught.value) == (
        "plans/dup.yaml:4:12: duplicate key 'x' (first defined at line 4)\n"
        "plans/dup.yaml:5:1: duplicate key 'copay' (first defined at line 2)"
    )


def test_an_unterminated_quote_reports_where_the_stream_ends() -> None:
    with pytest.raises(SourceFileError) as caught:
        load_yaml("plan_id: 'HMO-1\n", name="plans/bad.yaml")
    assert caught.value.issues == [
        SourceIssue(
            SourceRef("plans/bad.yaml", 2, 1),
            "found unexpected end of stream (while scanning a quoted scalar at line 1)",
        )
    ]


def test_two_documents_in_one_file_are_refused() -> None:
    with pytest.raises(SourceFileError) as caught:
        load_yaml("a: 1\n---\nb: 2\n", name="plans/two.yaml")
    assert str(caught.value) == (
        "plans/two.yaml:2:1: but found another document"
        " (expected a single document in the stream at line 1)"
    )


def test_a_misindented_key_is_a_syntax_error_at_its_line() -> None:
    with pytest.raises(SourceFileError) as caught:
        load_yaml("cost_share: 1\n  tiers: 2\n", name="plans/indent.yaml")
    (issue,) = caught.value.issues
    assert issue.ref == SourceRef("plans/indent.yaml", 2, 8)
    assert issue.message.startswith("mapping values are not allowed")


def test_a_control_character_is_located() -> None:
    with pytest.raises(SourceFileError) as caught:
        load_yaml("a: 1\nname: x\x07\n", name="plans/ctl.yaml")
    assert str(caught.value) == (
        "plans/ctl.yaml:2:8: character #x0007: control characters are not allowed"
    )


def test_python_tags_are_refused_by_the_safe_loader() -> None:
    with pytest.raises(SourceFileError) as caught:
        load_yaml("a: !!python/object/apply:os.system [echo]\n", name="plans/evil.yaml")
    assert str(caught.value) == (
        "plans/evil.yaml:1:4: could not determine a constructor for the tag"
        " 'tag:yaml.org,2002:python/object/apply:os.system'"
    )


def test_files_are_read_and_named_by_their_path(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("a: [1,\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as caught:
        load_yaml(path)
    assert caught.value.issues[0].ref == SourceRef(str(path), 2, 1)
    path.write_text("a: 1\n", encoding="utf-8")
    assert load_yaml(path).value_ref(("a",)) == SourceRef(str(path), 1, 4)


def test_a_missing_file_is_a_source_file_error(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError) as caught:
        load_yaml(tmp_path / "absent.yaml", name="plans/absent.yaml")
    assert str(caught.value) == "plans/absent.yaml:1:1: cannot read: No such file or directory"


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"a: 1\nname: caf\xe9\n")
    with pytest.raises(SourceFileError) as caught:
        load_yaml(path, name="plans/latin1.yaml")
    assert str(caught.value) == "plans/latin1.yaml:2:10: not valid UTF-8 text"


class Tier(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tier: int
    copay: int
    channels: list[str] = Field(default_factory=list)


class Deductible(BaseModel):
    model_config = ConfigDict(extra="forbid")

    individual: int
    family: int

    @model_validator(mode="after")
    def _individual_within_family(self) -> Deductible:
        if self.individual > self.family:
            raise LocatedError(("individual",), "individual deductible exceeds family deductible")
        return self


class CostShare(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deductible: Deductible
    tiers: list[Tier]
    out_of_pocket_max: int | None = None


class PlanFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan_id: str
    effective: dt.date
    plan_year_start: str
    cost_share: CostShare
    copays_by_channel: dict[str, int] = Field(default_factory=dict)


def _issues(text: str) -> str:
    with pytest.raises(SourceFileError) as caught:
        validate(PlanFile, load_yaml(text, name="plans/hmo.yaml"))
    return str(caught.value)


def test_a_valid_file_gives_the_model() -> None:
    plan = validate(PlanFile, load_yaml(PLAN.replace("12.50", "12"), name="plans/hmo.yaml"))
    assert (plan.plan_id, plan.cost_share.tiers[1].channels) == ("HMO-1", ["retail", "mail"])


def test_pydantic_errors_point_at_their_lines() -> None:
    text = PLAN.replace("    - tier: 1\n      copay: 10\n", "    - tier: one\n      copy: 10\n")
    assert _issues(text) == (
        "plans/hmo.yaml:9:7: missing required field 'cost_share.tiers[0].copay'\n"
        "plans/hmo.yaml:9:13: cost_share.tiers[0].tier: input should be a valid integer,"
        " unable to parse string as an integer (got 'one')\n"
        "plans/hmo.yaml:10:7: unknown field 'cost_share.tiers[0].copy' (did you mean 'copay'?)\n"
        "plans/hmo.yaml:12:14: cost_share.tiers[1].copay: input should be a valid integer,"
        " got a number with a fractional part (got 12.5)"
    )


def test_missing_fields_point_at_the_mapping_that_lacks_them() -> None:
    text = PLAN.replace("    individual: 500\n", "")
    assert _issues(text) == (
        "plans/hmo.yaml:5:3: missing required field 'cost_share.deductible.individual'\n"
        "plans/hmo.yaml:11:14: cost_share.tiers[1].copay: input should be a valid integer,"
        " got a number with a fractional part (got 12.5)"
    )


def test_a_missing_top_level_field_points_at_the_document() -> None:
    text = PLAN.replace("plan_id: HMO-1\n", "").replace("12.50", "12")
    assert _issues(text) == "plans/hmo.yaml:1:1: missing required field 'plan_id'"


def test_an_unknown_top_level_key_suggests_the_field() -> None:
    text = PLAN.replace("12.50", "12") + "copays_by_chanel:\n  mail: 5\n"
    assert _issues(text) == (
        "plans/hmo.yaml:14:1: unknown field 'copays_by_chanel' (did you mean 'copays_by_channel'?)"
    )


def test_dict_values_are_located() -> None:
    text = PLAN.replace("12.50", "12") + "copays_by_channel:\n  mail: five\n"
    assert _issues(text) == (
        "plans/hmo.yaml:15:9: copays_by_channel.mail: input should be a valid integer,"
        " unable to parse string as an integer (got 'five')"
    )


def test_a_model_validator_error_names_its_own_entry() -> None:
    text = PLAN.replace("individual: 500", "individual: 1500").replace("12.50", "12")
    assert _issues(text) == (
        "plans/hmo.yaml:6:5: cost_share.deductible.individual:"
        " individual deductible exceeds family deductible"
    )


def test_a_document_that_is_not_a_mapping() -> None:
    assert _issues("- 1\n- 2\n") == (
        "plans/hmo.yaml:1:1: input should be a valid dictionary or instance of PlanFile"
    )


def test_source_file_error_needs_an_issue() -> None:
    message = "SourceFileError needs at least one issue"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        SourceFileError([])


def test_source_file_error_is_a_value_error_with_every_issue() -> None:
    error = SourceFileError(
        [
            SourceIssue(SourceRef("b.yaml", 3, 1), "late"),
            SourceIssue(SourceRef("b.yaml", 1, 5), "early"),
        ]
    )
    assert isinstance(error, ValueError)
    assert str(error) == "b.yaml:1:5: early\nb.yaml:3:1: late"


def test_the_c_loader_and_the_python_loader_agree_on_positions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import yaml

    from engine.sourcefile import loader

    fast = load_yaml(PLAN, name="plans/hmo.yaml")
    monkeypatch.setattr(loader, "_Loader", yaml.SafeLoader)
    careful = load_yaml(PLAN, name="plans/hmo.yaml")
    assert (fast.data, fast.entries, fast.values) == (
        careful.data,
        careful.entries,
        careful.values,
    )
