"""Atomic file writing: a file appears whole or not at all, with the user's normal permissions."""

from __future__ import annotations

import json
import os
import stat

import pandas as pd
import pytest

from planner.base import io


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_failed_block_leaves_the_previous_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("before", encoding="utf-8")
    with pytest.raises(RuntimeError), io.atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("killed mid-write")
    assert target.read_text(encoding="utf-8") == "before"
    assert leftovers(tmp_path) == []


def test_the_temporary_is_a_hidden_sibling_renamed_into_place(tmp_path):
    target = tmp_path / "deep" / "er" / "out.txt"
    with io.atomic_path(target) as tmp:
        assert tmp.parent == target.parent and tmp.name.startswith(".out.txt.") and tmp.name.endswith(".tmp")
        assert tmp.exists() and not target.exists()
        tmp.write_text("whole", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "whole"
    assert leftovers(target.parent) == []


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_written_files_get_the_umask_permissions_not_mkstemp_s_0600(tmp_path, mask):
    old = os.umask(mask)
    try:
        path = io.write_text("x", tmp_path / f"m{mask:o}.txt")
        assert os.umask(mask) == mask  # the umask is left as it was
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_write_json_text_and_csv_round_trip(tmp_path):
    payload = {"ä": [1, 2.5, None], "when": pd.Timestamp("2015-01-12")}
    path = io.write_json(payload, tmp_path / "a.json")
    text = path.read_text(encoding="utf-8")
    assert text == '{\n  "ä": [\n    1,\n    2.5,\n    null\n  ],\n  "when": "2015-01-12 00:00:00"\n}\n'
    assert json.loads(text) == {"ä": [1, 2.5, None], "when": "2015-01-12 00:00:00"}
    assert io.read_json(path) == json.loads(text)
    assert io.write_text("rivi\n", tmp_path / "t.txt").read_bytes() == b"rivi\n"
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    csv = io.write_csv(frame, tmp_path / "f.csv")
    assert csv.read_bytes() == b"a,b\n1,x\n2,y\n"  # no index, '\n' line ends


def test_read_json_of_a_missing_or_broken_file_is_none(tmp_path):
    assert io.read_json(tmp_path / "missing.json") is None
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert io.read_json(tmp_path / "bad.json") is None
    (tmp_path / "latin.json").write_bytes(b'"\xe4"')
    assert io.read_json(tmp_path / "latin.json") is None
