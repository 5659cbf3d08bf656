import pytest

pd = pytest.importorskip("pandas")


def test_accounts_as_a_dataframe(populated):
    p = populated["platform"]
    df = pd.DataFrame(list(p.iter_accounts()))
    assert list(df.columns[:3]) == ["id", "pseudonym", "perspective"]
    assert len(df) == 5
    assert pd.api.types.is_datetime64_any_dtype(df["created_at"])
    assert str(df["created_at"].dt.tz) == "UTC"
    by_perspective = df.groupby("perspective").size().to_dict()
    assert by_perspective == {"lived_experience": 1, "professional": 1, "relative": 2, "undisclosed": 1}
    assert (df["created_at"] <= pd.Timestamp.now(tz="UTC")).all()


def test_audit_as_a_dataframe(populated):
    df = pd.DataFrame(list(populated["platform"].iter_audit()))
    assert pd.api.types.is_datetime64_any_dtype(df["at"])
    assert df["action"].value_counts().to_dict() == {"account.create": 5, "account.role.grant": 2, "org.create": 2}
    assert df["at"].is_monotonic_decreasing
