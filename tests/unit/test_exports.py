"""File names of the downloads name the project and round in plain ASCII."""

from __future__ import annotations

import pytest

from mintqo.domain.exports import file_stem


@pytest.mark.parametrize(
    ("project", "round_no", "expected"),
    [
        ("Robotik-AG Klasse 5–7", 1, "mintqo-robotik-ag-klasse-5-7-runde1"),
        ("Mädchen-Technik-Tage „Löten & Coden“", 2, "mintqo-maedchen-technik-tage-loeten-coden-runde2"),
        ("Große Straße: Café", 1, "mintqo-grosse-strasse-cafe-runde1"),
        ("🚀🚀", 3, "mintqo-runde3"),
        ("x" * 80, 1, "mintqo-" + "x" * 50 + "-runde1"),
    ],
)
def test_file_stem(project, round_no, expected):
    assert file_stem(project, round_no) == expected
