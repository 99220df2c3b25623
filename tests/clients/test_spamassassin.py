"""SpamAssassin (Debian's package, local rules only) scores every mail type at 0 or below.

Skipped only when ``spamassassin`` is not installed; ``python3 dev.py test`` installs it
when it runs as root with apt, as it does Chromium.
"""

import pytest

from . import spamassassin
from .mail_samples import KINDS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not spamassassin.available(), reason="spamassassin is not installed"),
]


@pytest.fixture(scope="module")
def scores(mail_samples):
    results = spamassassin.check([mail_samples[kind][1] for kind in KINDS])
    return dict(zip(KINDS, results, strict=True))


@pytest.mark.parametrize("kind", KINDS)
def test_spamassassin_scores_the_mail_at_zero_or_below(scores, kind):
    result = scores[kind]
    assert result.score <= 0, f"{kind}: {result.score} ({result.describe()})"
