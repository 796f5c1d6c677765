"""Which version of a model is the newest: semver-like ordering of real registry versions."""

from meshdocs.versions import version_key


def newest(*versions: str) -> str:
    return max(versions, key=version_key)


def test_v_prefix_and_numeric_order() -> None:
    assert newest("v1.2.13", "1.2.5") == "v1.2.13"
    assert newest("v0.0.10", "v0.0.14") == "v0.0.14"
    assert newest("4.5.1", "6.7.18") == "6.7.18"


def test_release_beats_its_prereleases_and_prereleases_order_numerically() -> None:
    assert newest("1.14.0", "1.14.0-rc.2") == "1.14.0"
    assert newest("1.14.0-rc.2", "1.14.2-rc.1") == "1.14.2-rc.1"
    assert newest("1.0.0-rc.2", "1.0.0-rc.10") == "1.0.0-rc.10"
    assert newest("v1.18.0-alpha.0", "v1.16.0") == "v1.18.0-alpha.0"


def test_unparseable_versions_sort_below_parseable_ones() -> None:
    assert newest("latest", "0.0.1") == "0.0.1"
    assert sorted(["b", "a"], key=version_key) == ["a", "b"]


def test_trailing_zeros_do_not_matter() -> None:
    assert version_key("1.2")[1] == version_key("1.2.0")[1]
