"""`build --shard K/N`: deterministic shares of the villages; shards merged into one portal."""

from __future__ import annotations

import shutil

from generator.pipeline.check import shard
from generator.cli import main
from tests.conftest import DEMO_AS_OF, ROOT


def test_shards_partition_the_villages_deterministically(tmp_path):
    for name in ("c", "a", "e", "b", "d"):
        (tmp_path / name).mkdir()
    shares = [shard(tmp_path, k, 2) for k in (1, 2)]
    assert shares == [["a", "c", "e"], ["b", "d"]]
    assert shard(tmp_path, 1, 2) == shares[0]
    assert shard(tmp_path, 3, 3, only=["c", "d"]) == ["c"]
    assert shard(tmp_path, 2, 7) == ["b"] and shard(tmp_path, 6, 7) == []


def test_shards_built_apart_and_merged_list_every_village(tmp_path, capsys):
    common = ["--content", str(ROOT / "content"), "--config", str(ROOT / "site_config"),
              "--as-of", DEMO_AS_OF.isoformat()]
    first, merged = tmp_path / "shard1", tmp_path / "public"
    assert main(["build", *common, "--out", str(first), "--shard", "1/2"]) == 0
    assert sorted(path.name for path in first.iterdir() if path.is_dir() and not path.name.startswith(("_", "."))
                  and (path / "village.json").exists()) == ["hekou"]
    # Merge: the other machines' village folders are copied in, then the last shard builds
    # there, which writes the township page from every village.json it finds.
    merged.mkdir()
    shutil.copytree(first / "hekou", merged / "hekou")
    assert main(["build", *common, "--out", str(merged), "--shard", "2/2"]) == 0
    township = (merged / "index.html").read_text(encoding="utf-8")
    assert "河口村" in township and "柳塘村" in township
    assert (merged / "liutang").is_dir()
    assert main(["build", *common, "--out", str(tmp_path / "none"), "--shard", "3/5"]) == 0
