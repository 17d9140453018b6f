"""Table helpers shared by the stages."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def concat_rows(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The rows of `frames` one after another (pd.concat, a fresh index), columns in order of first
    appearance.

    Empty frames are left out, and so is a column that is all missing in one frame while another
    frame has values in it (concat fills it back as missing): pandas deprecates letting such
    entries decide the result's dtypes (FutureWarning, which the test suite turns into an error and
    users would see). No frames: an empty frame; every frame empty: the first one.
    """
    if not frames:
        return pd.DataFrame()
    columns = list(dict.fromkeys(c for f in frames for c in f.columns))
    rows = [f for f in frames if len(f)]
    if not rows:
        return frames[0].reindex(columns=columns)
    filled = {c for f in rows for c in f.columns if f[c].notna().any()}
    rows = [f.drop(columns=[c for c in f.columns if c in filled and f[c].isna().all()]) for f in rows]
    return pd.concat(rows, ignore_index=True).reindex(columns=columns)
